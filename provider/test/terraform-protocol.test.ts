// The plugin process under the real terraform: protocol 5 and 6, TLS on and off,
// structured logs, prompt shutdown, Ctrl-C, provider configuration errors, the
// binary run by hand, and a reproducible build.
import { afterAll, describe, expect, it } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually, processesIn, terraformPlatform } from "@meshplane/test-kit";
import { binaryName, h1Hash, packageDir, providerDir, ProviderWorkspace, version } from "./terraform-harness.ts";

const ECHO = `resource "meshplane_test_echo" "p" {
  name  = "p"
  value = "one"
}
`;

const workspaces: ProviderWorkspace[] = [];
function workspace(env: NodeJS.ProcessEnv = {}): ProviderWorkspace {
  const ws = new ProviderWorkspace(env);
  workspaces.push(ws);
  return ws;
}
afterAll(() => workspaces.forEach((w) => w.cleanup()));

function logPath(ws: ProviderWorkspace, name: string): string {
  return join(ws.root, `${name}.log`);
}

describe("plugin protocol", () => {
  it("speaks protocol 5 when the provider offers only 5", async () => {
    const ws = workspace({ MESHPLANE_PROVIDER_PROTOCOLS: "5" });
    ws.writeConfig(ECHO);
    await ws.init();
    await ws.apply();
    const log = logPath(ws, "plan5");
    await ws.plan(0, "-refresh=true");
    ws.writeConfig(ECHO.replace('"one"', '"two"'));
    await ws.ok(["apply", "-auto-approve", "-input=false"], 0, { TF_LOG: "trace", TF_LOG_PATH: log });
    const text = readFileSync(log, "utf8");
    expect(text).toMatch(/using plugin: version=5/);
    expect(text).not.toMatch(/using plugin: version=6/);
    expect(ws.readStore()["echo-p"]).toMatchObject({ value: "two", revision: 2 });
    await ws.ok(["destroy", "-auto-approve", "-input=false"]);
  });

  it("negotiates protocol 6 with mTLS by default, exits on Shutdown, and logs in hclog JSON", async () => {
    const ws = workspace();
    ws.writeConfig(ECHO);
    await ws.init();
    const log = logPath(ws, "apply6");
    await ws.ok(["apply", "-auto-approve", "-input=false"], 0, { TF_LOG: "debug", TF_LOG_PATH: log });
    const text = readFileSync(log, "utf8");
    expect(text).toMatch(/using plugin: version=6/);
    // Terraform parsed our JSON log lines (level, message) instead of echoing raw JSON.
    expect(text).toMatch(/\[DEBUG\] provider\.terraform-provider-meshplane_v0\.1\.0: provider listening/);
    expect(text).not.toContain('"@message"');
    // GRPCController.Shutdown ends the process: no forced kill after a timeout.
    expect(text).not.toMatch(/plugin failed to exit gracefully/);
    expect(text).toMatch(/plugin exited/);
  });

  it("diagnostics on request: each RPC's time at trace, CPU at shutdown at debug, a CPU profile per process", async () => {
    const profiles = mkdtempSync(join(tmpdir(), "meshplane-cpuprofile-"));
    const ws = workspace({ MESHPLANE_PROVIDER_CPU_PROFILE_DIR: profiles });
    ws.writeConfig(ECHO);
    await ws.init();
    const log = logPath(ws, "diagnostics");
    await ws.ok(["plan", "-input=false"], 0, { TF_LOG: "trace", TF_LOG_PATH: log });
    const text = readFileSync(log, "utf8");
    expect(text).toMatch(/provider\.terraform-provider-meshplane_v0\.1\.0: PlanResourceChange done: .*ms=\d/);
    expect(text).toMatch(/provider shutting down: .*cpu_ms=\d+/);
    const written = readdirSync(profiles).filter((f) => f.endsWith(".cpuprofile"));
    expect(written.length).toBeGreaterThanOrEqual(2); // plan starts several provider processes
    const profile = JSON.parse(readFileSync(join(profiles, written[0]!), "utf8"));
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(profile.samples.length).toBeGreaterThan(0);
    rmSync(profiles, { recursive: true, force: true });
  });

  it("serves plaintext when Terraform disables plugin TLS", async () => {
    const ws = workspace({ TF_DISABLE_PLUGIN_TLS: "1" });
    ws.writeConfig(ECHO);
    await ws.init();
    await ws.apply();
    await ws.plan(0);
  });

  it("finishes cleanly on Ctrl-C during apply and leaves state and remote objects consistent", async () => {
    const ws = workspace();
    ws.writeConfig(ECHO.replace('"one"', '"slow"'));
    await ws.init();
    const child = ws.spawn(["apply", "-auto-approve", "-input=false"]);
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    expect(await eventually(() => out.includes("Creating..."), 30_000), out).toBe(true);
    expect(processesIn(ws.dir).length).toBeGreaterThanOrEqual(2); // terraform + the provider
    // A terminal's Ctrl-C: SIGINT to the whole process group (terraform and the provider).
    process.kill(-child.pid!, "SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(Date.now() - started).toBeLessThan(15_000); // did not wait for the 20 s create
    expect(code).not.toBe(0);
    expect(out).toMatch(/Interrupt received/);
    expect(out).toContain("Interrupted: create meshplane_test_echo");
    // No provider process left behind.
    expect(await eventually(() => processesIn(ws.dir).length === 0, 5_000), "terraform and the provider exit").toBe(true);
    // What Terraform knows matches what exists.
    const state = await ws.stateJson();
    const inState = (state.values?.root_module?.resources ?? []).map((r) => r.values.id);
    expect(inState).toEqual(Object.keys(ws.readStore()));
  });
});

describe("provider configuration", () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it("turns a refused connection into one clear diagnostic", async () => {
    const port = await closedPort();
    const ws = workspace({ MESHPLANE_ENDPOINT: `http://127.0.0.1:${port}`, MESHPLANE_API_KEY: "mp_test" });
    ws.writeConfig(ECHO);
    await ws.init();
    const r = await ws.plan(1);
    expect(r.output.match(/Error: Cannot reach the Meshplane API/g)).toHaveLength(1);
    expect(r.output).toContain(`No answer from http://127.0.0.1:${port} (ECONNREFUSED`);
    expect(r.output).toMatch(/MESHPLANE_ENDPOINT/);
  });

  it("turns a 401 problem+json into one diagnostic on api_key", async () => {
    server = createServer((req, res) => {
      const ok = req.headers.authorization === "Bearer mp_good";
      res.writeHead(ok ? 200 : 401, { "content-type": ok ? "application/json" : "application/problem+json" });
      res.end(JSON.stringify(ok ? { subject: "sa:ci", kind: "service_account" } : { type: "about:blank", title: "Unauthenticated", status: 401, detail: "The API key is unknown or revoked." }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const ws = workspace({ MESHPLANE_API_KEY: "mp_bad" });
    ws.writeConfig(ECHO, `provider "meshplane" {\n  endpoint = "http://127.0.0.1:${port}"\n}`);
    await ws.init();
    const bad = await ws.plan(1);
    expect(bad.output.match(/Error: Unauthenticated/g)).toHaveLength(1);
    expect(bad.output).toContain("The API key is unknown or revoked.");
    expect(bad.output).toMatch(/MESHPLANE_API_KEY/);
    expect(bad.output).not.toContain("mp_bad");
    // The right key: the plan goes through.
    await ws.ok(["plan", "-input=false", "-detailed-exitcode"], 2, { MESHPLANE_API_KEY: "mp_good" });
  });
});

describe("the provider binary", () => {
  it("run by hand, says what it is on stderr and exits 1 without touching stdout", async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(join(packageDir, binaryName), [], { env: { PATH: process.env.PATH } }, (err, stdout, stderr) => resolve({ code: (err as { code?: number } | null)?.code ?? 0, stdout, stderr })),
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/This binary is a plugin for Terraform/);
  });

  it("npm run install-local puts it in Terraform's implied local mirror, found by a plain init", async () => {
    const home = mkdtempSync(join(tmpdir(), "meshplane-home-"));
    try {
      execFileSync("npm", ["run", "install-local"], { cwd: providerDir, env: { ...process.env, HOME: home }, stdio: "ignore" });
      const mirror = join(home, ".terraform.d/plugins/registry.terraform.io/meshplane/meshplane", version, terraformPlatform());
      expect(h1Hash(mirror)).toBe(h1Hash(packageDir));
      const ws = workspace({ HOME: home });
      ws.writeConfig(ECHO);
      const r = await ws.ok(["init", "-input=false"]);
      expect(r.output).toContain(`Installed meshplane/meshplane v${version}`);
      await ws.apply();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("builds reproducibly: two builds give the same h1 hash", () => {
    const out = mkdtempSync(join(tmpdir(), "meshplane-build-"));
    try {
      execFileSync(process.execPath, ["scripts/build.mjs", out], { cwd: providerDir, stdio: "ignore" });
      expect(h1Hash(out)).toBe(h1Hash(packageDir));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}


