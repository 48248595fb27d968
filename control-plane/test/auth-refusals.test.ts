/**
 * 401 and 403 answers are logged and counted (issue 10, finding 8a), without the
 * credential; errors under the per-resource sub-routers are counted under their route
 * template (finding 8b). The server logs at `info`; its stderr is what an operator reads.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startServer({ env: { MESHPLANE_LOG_LEVEL: "info" } });
  admin = new ApiClient(server.api, server.adminKey);
});
afterAll(async () => {
  await server?.stop();
});

const randomKey = () => `mp_${randomBytes(32).toString("base64url")}`;

/** The JSON log line for one request id (logs are written asynchronously: wait for it). */
async function refusalLogged(requestId: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = server
      .stderr()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l["requestId"] === requestId && l["msg"] === "request refused");
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no "request refused" log line for ${requestId}:\n${server.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function metrics(): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

function counter(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("refusals are logged and counted, never with the credential", () => {
  it("a 401 for an unknown key: one info line naming method, route template, status, request id and reason; the metric counts it", async () => {
    const key = randomKey();
    const before = counter(await metrics(), "meshplane_auth_refusals_total", 'status="401",reason="unknown-key"');
    const r = await admin.as(key).call("GET", "/teams/sales", undefined, { "x-request-id": "refusal-401-key" });
    expect(r.status).toBe(401);
    expect(await refusalLogged("refusal-401-key")).toMatchObject({
      level: 30,
      status: 401,
      reason: "unknown-key",
      method: "GET",
      route: "/api/v1/teams/:name",
      detail: "the API key is not valid (unknown key)",
    });
    const after = await metrics();
    expect(counter(after, "meshplane_auth_refusals_total", 'status="401",reason="unknown-key"')).toBe(before + 1);
    expect(server.logs()).not.toContain(key);
  });

  it("a 401 without credentials, and one for a wrong key sent to POST /auth/token in the body", async () => {
    expect((await new ApiClient(server.api).call("GET", "/whoami", undefined, { "x-request-id": "refusal-401-none" })).status).toBe(401);
    expect(await refusalLogged("refusal-401-none")).toMatchObject({ status: 401, reason: "no-credentials", route: "/api/v1/whoami" });

    const key = randomKey();
    const r = await new ApiClient(server.api).call("POST", "/auth/token", { api_key: key }, { "x-request-id": "refusal-401-token" });
    expect(r.status).toBe(401);
    expect(await refusalLogged("refusal-401-token")).toMatchObject({ status: 401, reason: "unknown-key", method: "POST", route: "/api/v1/auth/token" });
    expect(server.logs()).not.toContain(key);
    expect(counter(await metrics(), "meshplane_auth_refusals_total", 'status="401",reason="no-credentials"')).toBeGreaterThanOrEqual(1);
  });

  it("a 403 names the subject and the permission it lacks; the metric counts it by permission", async () => {
    const key = await makeServiceAccount(admin, "refused-ci", "refused");
    expect((await admin.post("/namespaces", { name: "refusal", ownerTeam: "refused" })).status).toBe(201);
    const caller = admin.as(key);

    const r = await caller.call("POST", "/teams", { name: "not-mine" }, { "x-request-id": "refusal-403-admin" });
    expect(r.status).toBe(403);
    expect(await refusalLogged("refusal-403-admin")).toMatchObject({
      level: 30,
      status: 403,
      reason: "platform.admin",
      subject: "refused-ci",
      method: "POST",
      route: "/api/v1/teams",
    });
    expect(counter(await metrics(), "meshplane_auth_refusals_total", 'status="403",reason="platform.admin"')).toBe(1);
    expect(server.logs()).not.toContain(key);
  });

  it("a 403 on a namespace permission under a sub-router: reason is the permission, route the template", async () => {
    const other = await makeServiceAccount(admin, "outsider-ci", "outsiders");
    const r = await admin.as(other).call("GET", "/flows/refusal/some_flow", undefined, { "x-request-id": "refusal-403-ns" });
    expect(r.status).toBe(403);
    expect(await refusalLogged("refusal-403-ns")).toMatchObject({ status: 403, reason: "namespace.read", subject: "outsider-ci", route: "/api/v1/flows/:namespace/:id" });
    expect(counter(await metrics(), "meshplane_auth_refusals_total", 'status="403",reason="namespace.read"')).toBe(1);
  });
});

describe("errors under sub-routers carry their route template", () => {
  it("a 404, a 400 and a 403 thrown inside /api/v1/<resource> routes are counted under the template, not '/'", async () => {
    expect((await admin.get("/teams/no-such-team")).status).toBe(404);
    expect((await admin.get("/teams?limit=nope")).status).toBe(400);
    const text = await metrics();
    expect(counter(text, "meshplane_http_requests_total", 'method="GET",route="/api/v1/teams/:name",status="404"')).toBe(1);
    expect(counter(text, "meshplane_http_requests_total", 'method="GET",route="/api/v1/teams",status="400"')).toBe(1);
    expect(counter(text, "meshplane_http_requests_total", 'method="POST",route="/api/v1/teams",status="403"')).toBe(1);
    expect(text).not.toMatch(/meshplane_http_requests_total\{method="[A-Z]+",route="\/",status="4\d\d"\}/);
    // A path no route declares stays "unmatched" (raw paths would explode cardinality).
    expect((await admin.get("/no-such-resource/x")).status).toBe(404);
    expect(counter(await metrics(), "meshplane_http_requests_total", 'method="GET",route="unmatched",status="404"')).toBeGreaterThanOrEqual(1);
  });
});
