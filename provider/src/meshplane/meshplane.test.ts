import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { Diagnostics } from "../framework/diagnostics.ts";
import { MeshplaneClient, retryDelayMs } from "./http-client.ts";
import { ApiError, pointerToPath } from "./problem.ts";
import { meshplaneProvider } from "./provider.ts";
import { UNKNOWN } from "../wire/types.ts";

let server: Server;
let base = "";
/** Requests seen per path, for the retry tests. */
const seen = new Map<string, number>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const n = (seen.get(req.url!) ?? 0) + 1;
    seen.set(req.url!, n);
    // A database blip: two 503s, then the answer. A client that rate limits for ever. A long Retry-After.
    if (req.url === "/api/v1/teams/blip" && n <= 2) {
      res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "0" });
      return res.end(JSON.stringify({ title: "Service unavailable", status: 503, detail: "the database did not answer" }));
    }
    if (req.url === "/api/v1/teams/blip") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ name: "blip" }));
    }
    if (req.url === "/api/v1/teams/busy" || req.url === "/api/v1/teams/later") {
      res.writeHead(429, { "content-type": "application/problem+json", "retry-after": req.url.endsWith("later") ? "60" : "0" });
      return res.end(JSON.stringify({ title: "Too many requests", status: 429, detail: "slow down" }));
    }
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

describe("retries", () => {
  it("repeats a request answered 503 until it is served", async () => {
    expect(await client().post("/api/v1/teams/blip", { name: "blip" })).toEqual({ name: "blip" });
    expect(seen.get("/api/v1/teams/blip")).toBe(3);
  });

  it("gives up after maxAttempts and reports the last answer with what to do; a 500 is not repeated", async () => {
    const err = (await new MeshplaneClient({ endpoint: base, apiKey: "mp_ok", userAgent: "test", maxAttempts: 3 }).get("/api/v1/teams/busy").catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.toDiagnostics()[0]!.detail).toMatch(/slow down\n\nMeshplane is rate-limiting this client, and still was after the provider's retries/);
    expect(seen.get("/api/v1/teams/busy")).toBe(3);
    const before = seen.get("/other") ?? 0;
    await client().get("/other").catch(() => undefined);
    expect(seen.get("/other")).toBe(before + 1);
  });

  it("stops waiting as soon as Terraform stops the provider", async () => {
    const stop = new AbortController();
    const started = Date.now();
    setTimeout(() => stop.abort(), 100);
    const err = (await new MeshplaneClient({ endpoint: base, apiKey: "mp_ok", userAgent: "test", signal: stop.signal }).get("/api/v1/teams/later").catch((e: unknown) => e)) as Error;
    expect(err.name).toBe("AbortError");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen.get("/api/v1/teams/later")).toBe(1);
  });

  it("waits what Retry-After says (seconds or a date), at most 10 s; else backs off from 0.5 s", () => {
    const now = Date.parse("2026-11-21T12:00:00Z");
    expect(retryDelayMs("3", 1, now)).toBe(3_000);
    expect(retryDelayMs("120", 1, now)).toBe(10_000);
    expect(retryDelayMs("Sat, 21 Nov 2026 12:00:02 GMT", 1, now)).toBe(2_000);
    expect(retryDelayMs("Sat, 21 Nov 2026 11:00:00 GMT", 1, now)).toBe(0);
    for (const [attempt, low, high] of [[1, 400, 600], [2, 800, 1_200], [3, 1_600, 2_400], [9, 10_000, 10_000]] as const) {
      const d = retryDelayMs(undefined, attempt, now);
      expect(d).toBeGreaterThanOrEqual(low);
      expect(d).toBeLessThanOrEqual(high);
    }
    expect(retryDelayMs("soon", 1, now)).toBeLessThanOrEqual(600);
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
    expect((await configure({ endpoint: base })).diagnostics).toMatchObject([{ summary: "Missing Meshplane credentials", path: ["api_key"] }]);
    expect((await configure({ endpoint: base, api_key: "mp_no" })).diagnostics).toMatchObject([{ summary: "Unauthenticated", path: ["api_key"] }]);
    expect((await configure({ endpoint: "ftp://x" })).diagnostics).toMatchObject([{ summary: "Invalid Meshplane endpoint" }]);
  });

  it("waits for unknown configuration, and tolerates no endpoint for test resources", async () => {
    expect(await configure({ endpoint: UNKNOWN })).toEqual({ client: undefined, diagnostics: [] });
    expect(await configure({}, {}, true)).toEqual({ client: undefined, diagnostics: [] });
  });
});
