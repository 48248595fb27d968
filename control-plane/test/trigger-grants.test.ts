/** Trigger grants over HTTP: who may create and revoke them, validation, idempotency, lists. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

describe("trigger grants", () => {
  let server: TestServer;
  let admin: ApiClient;
  let supply: ApiClient;
  let supplyDev: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["supply", "finance"]) await admin.post("/teams", { name: team });
    await admin.post("/namespaces", { name: "supply", ownerTeam: "supply" });
    await admin.post("/namespaces", { name: "finance", ownerTeam: "finance" });
    supply = admin.as(await makeServiceAccount(admin, "ci-supply", "supply"));
    supplyDev = admin.as(await makeServiceAccount(admin, "dev-supply", "finance", [{ role: "developer", namespace: "supply" }]));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("validates the body: kinds, names, unknown fields, unknown namespaces", async () => {
    const ok = { upstreamNamespace: "supply", downstreamNamespace: "finance", kinds: ["trigger"] };
    expect((await supply.post("/trigger-grants", { ...ok, kinds: [] })).status).toBe(400);
    expect((await supply.post("/trigger-grants", { ...ok, kinds: ["listen"] })).status).toBe(400);
    expect((await supply.post("/trigger-grants", { ...ok, upstreamFlow: "-bad" })).status).toBe(400);
    const extra = await supply.post("/trigger-grants", { ...ok, expiresAt: "never" });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].pointer).toBe("");
    const unknown = await admin.post("/trigger-grants", { ...ok, downstreamNamespace: "nowhere" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ pointer: "/downstreamNamespace", message: "unknown namespace" }]);
    expect((await admin.post("/trigger-grants", { ...ok, upstreamNamespace: "nowhere" })).status).toBe(400);
  });

  it("needs access.manage on the upstream namespace: a developer there is refused", async () => {
    const denied = await supplyDev.post("/trigger-grants", { upstreamNamespace: "supply", downstreamNamespace: "finance", kinds: ["trigger"] });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain("lacks permission access.manage");
    expect(denied.body.detail).toContain("on namespace supply");
  });

  it("creates once under concurrency: one 201, the rest 200 with the same grant; audited once", async () => {
    const body = { upstreamNamespace: "supply", upstreamFlow: "stock", downstreamNamespace: "finance", kinds: ["subflow", "trigger", "trigger"] };
    const answers = await Promise.all(Array.from({ length: 10 }, () => supply.post("/trigger-grants", body)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(9);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers[0]!.body.kinds).toEqual(["subflow", "trigger"]);
    const audit = await admin.get(`/audit?resourceType=trigger-grant&resourceId=${answers[0]!.body.id}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: "trigger-grant.create", subject: "ci-supply", namespace: "supply" });
  });

  it("lists with filters and keyset pages; 404 and 400 for unknown and malformed ids", async () => {
    for (const flow of ["a", "b", "c", "d"]) {
      expect((await supply.post("/trigger-grants", { upstreamNamespace: "supply", upstreamFlow: flow, downstreamNamespace: "finance", kinds: ["trigger"] })).status).toBe(201);
    }
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string; upstreamFlow: string }[]; nextCursor: string | null } } = await supplyDev.get(
        `/trigger-grants?upstreamNamespace=supply&kind=trigger&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((g) => g.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect((await supplyDev.get("/trigger-grants?upstreamFlow=b")).body.items).toHaveLength(1);
    expect((await supplyDev.get("/trigger-grants?kind=subflow")).body.items).toHaveLength(1);
    expect((await supplyDev.get("/trigger-grants?downstreamNamespace=supply")).body.items).toHaveLength(0);
    expect((await supply.get("/trigger-grants/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await supply.get("/trigger-grants/not-a-uuid")).status).toBe(400);
    expect((await supply.delete("/trigger-grants/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("is revoked by the upstream maintainer (204, audited), not by a developer", async () => {
    const g = await supply.post("/trigger-grants", { upstreamNamespace: "supply", downstreamNamespace: "finance", kinds: ["trigger"] });
    expect(g.status).toBe(201);
    expect((await supplyDev.delete(`/trigger-grants/${g.body.id}`)).status).toBe(403);
    expect((await supply.delete(`/trigger-grants/${g.body.id}`)).status).toBe(204);
    const audit = await admin.get(`/audit?resourceType=trigger-grant&resourceId=${g.body.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(["trigger-grant.delete", "trigger-grant.create"]);
    expect(audit.body.items[0].before).toMatchObject({ upstreamNamespace: "supply", downstreamNamespace: "finance", upstreamFlow: null });
  });
});
