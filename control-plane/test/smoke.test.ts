import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

describe("meshplane serve on the embedded PostgreSQL", () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is healthy and ready once migrations are applied", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
  });

  it("registers the bootstrap key as platform-admin", async () => {
    const me = await admin.get("/whoami");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ subject: "platform-admin", team: "platform", platformAdmin: true });
  });

  it("creates a team, audits it, and refuses a duplicate with 409", async () => {
    expect((await admin.post("/teams", { name: "sales", description: "Sales" })).status).toBe(201);
    const dup = await admin.post("/teams", { name: "sales" });
    expect(dup.status).toBe(409);
    expect(dup.headers.get("content-type")).toContain("application/problem+json");
    const audit = await admin.get("/audit?resourceType=team&resourceId=sales");
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(["team.create"]);
  });

  it("counts requests in /metrics by route template (never the raw path), method and status", async () => {
    const count = async (labels: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text.split("\n").find((l) => l.startsWith(`meshplane_http_requests_total{${labels}}`));
      return line ? Number(line.split(" ").pop()) : 0;
    };
    const teams = 'method="GET",route="/api/v1/teams",status="200"';
    const team = 'method="GET",route="/api/v1/teams/:name",status="200"';
    const missing = 'method="GET",route="unmatched",status="404"';
    const before = { teams: await count(teams), team: await count(team), missing: await count(missing) };
    for (let i = 0; i < 3; i++) expect((await admin.get("/teams")).status).toBe(200);
    expect((await admin.get("/teams/platform")).status).toBe(200);
    expect((await admin.get("/teams/sales")).status).toBe(200);
    expect((await admin.get("/no/such/route")).status).toBe(404);
    expect(await count(teams)).toBe(before.teams + 3);
    expect(await count(team)).toBe(before.team + 2);
    expect(await count(missing)).toBe(before.missing + 1);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^meshplane_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/teams\/:name"\} \d+$/m);
    expect(text).not.toContain("/teams/platform");
    expect(text).not.toContain("/no/such/route");
  });

  it("sends the security headers of a JSON API on answers and on errors, and forbids caching API answers", async () => {
    for (const answer of [await admin.get("/whoami"), await admin.get("/teams/nobody"), await new ApiClient(server.api).get("/whoami")]) {
      const h = answer.headers;
      expect(h.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
      expect(h.get("x-content-type-options")).toBe("nosniff");
      expect(h.get("x-frame-options")).toBe("DENY");
      expect(h.get("strict-transport-security")).toMatch(/^max-age=\d+; includeSubDomains$/);
      expect(h.get("referrer-policy")).toBe("no-referrer");
      expect(h.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(h.get("cache-control")).toBe("no-store");
      expect(h.get("x-powered-by")).toBeNull();
      for (const browserOnly of ["x-dns-prefetch-control", "x-download-options", "x-permitted-cross-domain-policies", "origin-agent-cluster", "x-xss-protection"]) {
        expect(h.get(browserOnly), browserOnly).toBeNull();
      }
    }
  });
});
