import { describe, expect, it } from "vitest";
import { X509Certificate } from "node:crypto";
import { handshakeLine, hasMagicCookie, MAGIC_COOKIE_VALUE, negotiateProtocol } from "./handshake.ts";
import { createLogger, hclogTimestamp } from "./hclog.ts";
import { handshakeCertField, makeServerCertificate } from "./tls-cert.ts";

describe("handshake", () => {
  it("needs Terraform's magic cookie", () => {
    expect(hasMagicCookie({})).toBe(false);
    expect(hasMagicCookie({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE })).toBe(true);
  });

  it("picks the highest common protocol, restricted by MESHPLANE_PROVIDER_PROTOCOLS", () => {
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "5,6" })).toBe(6);
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "5" })).toBe(5);
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "5,6", MESHPLANE_PROVIDER_PROTOCOLS: "5" })).toBe(5);
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "4" })).toBeUndefined();
    expect(negotiateProtocol({})).toBe(6);
  });

  it("formats the line go-plugin reads", () => {
    expect(handshakeLine(6, "unix", "/tmp/p.sock", "")).toBe("1|6|unix|/tmp/p.sock|grpc|\n");
  });
});

describe("server certificate", () => {
  it("is a valid self-signed EC P-256 certificate for localhost, in unpadded base64 DER", () => {
    for (let i = 0; i < 8; i++) {
      const cert = makeServerCertificate();
      const x = new X509Certificate(cert.certDer);
      expect(x.subjectAltName).toContain("DNS:localhost");
      expect(x.checkHost("localhost")).toBe("localhost");
      expect(x.verify(x.publicKey)).toBe(true);
      expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
      const field = handshakeCertField(cert.certDer);
      expect(field).not.toContain("=");
      expect(Buffer.from(field, "base64").equals(cert.certDer)).toBe(true);
    }
  });
});

describe("hclog", () => {
  it("timestamps have exactly six fractional digits", () => {
    expect(hclogTimestamp(new Date("2025-01-02T03:04:05.678Z"), 9)).toBe("2025-01-02T03:04:05.678009Z");
    expect(hclogTimestamp()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("writes JSON lines with @level/@message/@module and honours TF_LOG", async () => {
    const { mkdtempSync, openSync, readFileSync, closeSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "hclog-"));
    const file = join(dir, "log");
    const fd = openSync(file, "w");
    const log = createLogger("meshplane", { TF_LOG: "WARN" }, fd);
    log.info("hidden");
    log.warn("shown", { big: 1n, n: 2 });
    closeSync(fd);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    rmSync(dir, { recursive: true, force: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ "@level": "warn", "@message": "shown", "@module": "meshplane", big: "1", n: 2 });
  });
});

describe("protocol descriptors", () => {
  it("serve exactly the RPCs that have handlers, for both protocols", async () => {
    const { METHODS } = await import("./services.ts");
    const { serviceDefinition } = await import("./proto-services.ts");
    for (const protocol of [5, 6] as const) {
      const served = Object.keys(serviceDefinition(protocol, `tfplugin${protocol}.Provider`)).sort();
      expect(served).toEqual(Object.keys(METHODS[protocol]).sort());
      expect(Object.keys(serviceDefinition(protocol, "plugin.GRPCController"))).toEqual(["Shutdown"]);
    }
  });

  it("round-trip a plan request with bytes, nested messages and oneofs", async () => {
    const { serviceDefinition } = await import("./proto-services.ts");
    const plan = serviceDefinition(6, "tfplugin6.Provider").PlanResourceChange!;
    const reply = { planned_state: { msgpack: Buffer.from([0xc0]) }, requires_replace: [{ steps: [{ attribute_name: "name" }, { element_key_int: 2 }] }], diagnostics: [{ severity: 1, summary: "s", attribute: { steps: [{ element_key_string: "k" }] } }] };
    const back = plan.responseDeserialize(plan.responseSerialize(reply)) as typeof reply;
    expect(Buffer.from(back.planned_state.msgpack)).toEqual(Buffer.from([0xc0]));
    expect(back.requires_replace[0]!.steps).toMatchObject([{ attribute_name: "name" }, { element_key_int: 2 }]);
    expect(back.diagnostics[0]).toMatchObject({ severity: 1, summary: "s", attribute: { steps: [{ element_key_string: "k" }] } });
  });
});
