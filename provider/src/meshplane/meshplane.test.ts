import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { Diagnostics } from "../framework/diagnostics.ts";
import { MeshplaneClient } from "./http-client.ts";
import { ApiError, pointerToPath } from "./problem.ts";
import { meshplaneProvider } from "./provider.ts";
import { UNKNOWN } from "../wire/types.ts";

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/api/v1/whoami") {
      const ok = req.headers.authorization === "Bearer mp_ok";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/problem+json" });
      return res.end(JSON.stringify(ok ? { subject: "sa" } : { title: "Unauthenticated", status: 401, detail: "bad key" }));
    }
    if (req.url === "/api/v1/namespaces") {
      res.writeHead(422, { "content-type": "application/problem+json" });
      return res.end(JSON.stringify({ type: "about:blank", title: "Validation failed", status: 422, errors: [{ pointer: "/ownerTeam", message: "unknown team" }, { pointer: "/labels/cost~1center", message: "too long" }] }));
    }
    if (req.url === "/api/v1/teams/none") {
      res.writeHead(404, { "content-type": "application/problem+json" });
      return res.end(JSON.stringify({ title: "Not found", status: 404 }));
    }
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("kaput");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

const client = () => new MeshplaneClient({ endpoint: base, apiKey: "mp_ok", userAgent: "test" });

describe("problem+json → diagnostics", () => {
  it("maps field pointers to attribute paths", () => {
    expect(pointerToPath("/ownerTeam")).toEqual(["owner_team"]);
    expect(pointerToPath("/labels/cost~1center")).toEqual(["labels", { key: "cost/center" }]);
    expect(pointerToPath("/kinds/0")).toEqual(["kinds", 0]);
  });

  it("gives one diagnostic per field error, on its attribute", async () => {
    const err = await client().post("/api/v1/namespaces", { name: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).toDiagnostics()).toEqual([
      { severity: "error", summary: "Validation failed", detail: "unknown team", path: ["owner_team"] },
      { severity: "error", summary: "Validation failed", detail: "too long", path: ["labels", { key: "cost/center" }] },
    ]);
  });

  it("reads 404 as null and explains non-JSON errors", async () => {
    expect(await client().getOrNull("/api/v1/teams/none")).toBeNull();
    const err = (await client().get("/other").catch((e: unknown) => e)) as ApiError;
    expect(err.toDiagnostics()[0]).toMatchObject({ summary: "Meshplane API error (HTTP 500)", detail: "kaput" });
  });
});

describe("provider configuration", () => {
  const configure = (config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, endpointOptional = false) => {
    const diagnostics = new Diagnostics();
    const p = meshplaneProvider({ resources: [], dataSources: [], env, endpointOptional });
    const log = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    return p.configure({ endpoint: null, api_key: null, ...config } as never, { diagnostics, terraformVersion: "1.11.4", signal: new AbortController().signal, log }).then((client) => ({ client, diagnostics: diagnostics.items }));
  };

  it("falls back to MESHPLANE_ENDPOINT and MESHPLANE_API_KEY", async () => {
    const r = await configure({}, { MESHPLANE_ENDPOINT: base, MESHPLANE_API_KEY: "mp_ok" });
    expect(r.diagnostics).toEqual([]);
    expect(r.client?.endpoint).toBe(base);
  });

  it("one clear error for a missing endpoint, a missing key, a rejected key", async () => {
    expect((await configure({})).diagnostics).toMatchObject([{ summary: "Missing Meshplane endpoint", path: ["endpoint"] }]);
    expect((await configure({ endpoint: base })).diagnostics).toMatchObject([{ summary: "Missing Meshplane API key", path: ["api_key"] }]);
    expect((await configure({ endpoint: base, api_key: "mp_no" })).diagnostics).toMatchObject([{ summary: "Unauthenticated", path: ["api_key"] }]);
    expect((await configure({ endpoint: "ftp://x" })).diagnostics).toMatchObject([{ summary: "Invalid Meshplane endpoint" }]);
  });

  it("waits for unknown configuration, and tolerates no endpoint for test resources", async () => {
    expect(await configure({ endpoint: UNKNOWN })).toEqual({ client: undefined, diagnostics: [] });
    expect(await configure({}, {}, true)).toEqual({ client: undefined, diagnostics: [] });
  });
});
