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
});
