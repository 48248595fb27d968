/**
 * Deleting a namespace (issue 10, finding 1), over HTTP on one real server:
 *
 * - the deletion takes its whole subtree's state with it — bindings and grants on
 *   unregistered children (either side of a grant), soft-deleted flows with their
 *   revisions, soft-deleted tables — so a namespace created again under the same name
 *   for another team inherits nothing, and its new owner reads none of the old owner's
 *   audit events (platform admins still read them all);
 * - live flows or tables anywhere in the subtree are a 409 listing them, changing nothing;
 * - a DELETE racing writes into the namespace never leaves a live flow or table behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount, type Answer } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
});
afterAll(async () => {
  await server?.stop();
});

const flowYaml = (ns: string, id: string, extra = "") => `id: ${id}\nnamespace: ${ns}\n${extra}tasks:\n  - id: log\n    type: core.log\n    message: hi\n`;
const triggeredBy = (ns: string, flowId: string) => `triggers:\n  - id: after\n    type: flow\n    upstream:\n      - { namespace: ${ns}, flowId: ${flowId} }\n    states: [SUCCESS]\n`;
const table = { schema: { fields: [{ name: "id", type: "INT64", mode: "REQUIRED" }] }, feedType: "WRITE_TRUNCATE" };

function expectStatus(a: Answer, status: number, detail?: RegExp) {
  expect(a.status, JSON.stringify(a.body)).toBe(status);
  if (detail) expect(a.body.detail).toMatch(detail);
}

describe("a namespace deleted and created again for another team", () => {
  it("inherits no binding, no grant, no old flow, revision or table, and shows its new owner none of the old audit events", async () => {
    for (const team of ["old-owner", "new-owner", "outsiders", "producers"]) expectStatus(await admin.post("/teams", { name: team }), 201);
    expectStatus(await admin.post("/namespaces", { name: "retail.legacy", ownerTeam: "old-owner" }), 201);
    expectStatus(await admin.post("/namespaces", { name: "producers", ownerTeam: "producers" }), 201);
    const oldOwner = admin.as(await makeServiceAccount(admin, "old-owner-ci", "old-owner"));
    const newOwner = admin.as(await makeServiceAccount(admin, "new-owner-ci", "new-owner"));
    const outsider = admin.as(await makeServiceAccount(admin, "outsider-ci", "outsiders"));
    const producer = admin.as(await makeServiceAccount(admin, "producer-ci", "producers"));
    expectStatus(await producer.put("/flows/producers/stock", flowYaml("producers", "stock")), 201);

    // The old owner's state, all of it on the UNREGISTERED child retail.legacy.crm.
    expectStatus(await oldOwner.post("/role-bindings", { namespace: "retail.legacy.crm", role: "developer", serviceAccount: "outsider-ci" }), 201);
    const grantIn = await producer.post("/trigger-grants", { upstreamNamespace: "producers", downstreamNamespace: "retail.legacy.crm", kinds: ["trigger"] });
    expectStatus(grantIn, 201);
    const grantOut = await oldOwner.post("/trigger-grants", { upstreamNamespace: "retail.legacy.crm", downstreamNamespace: "producers", kinds: ["trigger"] });
    expectStatus(grantOut, 201);
    expectStatus(await outsider.put("/flows/retail.legacy.crm/probe", flowYaml("retail.legacy.crm", "probe")), 201);
    expectStatus(await outsider.delete("/flows/retail.legacy.crm/probe"), 204);
    expectStatus(await oldOwner.put("/flows/retail.legacy.crm/orders", flowYaml("retail.legacy.crm", "orders", "description: the old owner's secret recipe\n")), 201);
    expectStatus(await oldOwner.put("/flows/retail.legacy.crm/orders", flowYaml("retail.legacy.crm", "orders", "description: recipe v2\n")), 200);
    const run = await oldOwner.post("/executions/retail.legacy.crm/orders?wait=true", {});
    expectStatus(run, 201);
    expect(run.body.state).toBe("SUCCESS");
    expectStatus(await oldOwner.delete("/flows/retail.legacy.crm/orders"), 204);
    expectStatus(await oldOwner.put("/tables/retail.legacy/legacy_crm.customers", { ...table, description: "old owner's table" }), 201);
    expectStatus(await oldOwner.delete("/tables/retail.legacy/legacy_crm.customers"), 204);

    const deleted = await admin.delete("/namespaces/retail.legacy");
    expectStatus(deleted, 204);

    expectStatus(await admin.post("/namespaces", { name: "retail.legacy", ownerTeam: "new-owner" }), 201);
    expect((await admin.get("/role-bindings?namespace=retail.legacy.crm")).body.items).toEqual([]);
    expectStatus(await admin.get(`/trigger-grants/${grantIn.body.id}`), 404);
    expectStatus(await admin.get(`/trigger-grants/${grantOut.body.id}`), 404);

    // The outsider's old binding is gone: it cannot write there any more.
    expectStatus(await outsider.put("/flows/retail.legacy.crm/intruder", flowYaml("retail.legacy.crm", "intruder")), 403, /flow\.write/);
    // The producer's grant was for the old owner: a new flow listening to producers is refused.
    expectStatus(await newOwner.put("/flows/retail.legacy.crm/listener", flowYaml("retail.legacy.crm", "listener", triggeredBy("producers", "stock"))), 403, /grant/);

    // The old flow's executions went with the namespace: the new owner reads none of them.
    expectStatus(await newOwner.get(`/executions/${run.body.id}`), 404);
    expect((await newOwner.get("/executions?namespace=retail.legacy")).body.items).toEqual([]);

    // The old flow, its revisions and its table are gone, not revivable.
    expectStatus(await newOwner.get("/flows/retail.legacy.crm/orders?deleted=true"), 404);
    expectStatus(await newOwner.get("/flows/retail.legacy.crm/orders/revisions"), 404);
    expectStatus(await newOwner.get("/flows/retail.legacy.crm/orders/revisions/1"), 404);
    expectStatus(await newOwner.get("/flows/retail.legacy.crm/orders?revision=2"), 404);
    const revived = await newOwner.put("/flows/retail.legacy.crm/orders", flowYaml("retail.legacy.crm", "orders"));
    expectStatus(revived, 201);
    expect(revived.body.revision).toBe(1);
    const revisions = (await newOwner.get("/flows/retail.legacy.crm/orders/revisions")).body.items;
    expect(revisions.map((r: { createdBy: string }) => r.createdBy)).toEqual(["new-owner-ci"]);
    const newTable = await newOwner.put("/tables/retail.legacy/legacy_crm.customers", table);
    expectStatus(newTable, 201);
    expect(newTable.body.description).toBe("");

    // Audit: the new owner sees only what happened since the namespace was created again.
    const recreatedAt = (await admin.get("/namespaces/retail.legacy")).body.createdAt as string;
    for (const ns of ["retail.legacy", "retail.legacy.crm"]) {
      const seen = await newOwner.get(`/audit?namespace=${ns}&limit=500`);
      expectStatus(seen, 200);
      expect(seen.body.items.length, ns).toBeGreaterThan(0);
      for (const e of seen.body.items) {
        expect(e.subject, JSON.stringify(e)).not.toMatch(/old-owner-ci|outsider-ci/);
        expect(Date.parse(e.at)).toBeGreaterThanOrEqual(Date.parse(recreatedAt));
      }
    }
    const byResource = await newOwner.get("/audit?namespace=retail.legacy&resourceId=retail.legacy.crm/orders&limit=500");
    expect(byResource.body.items.map((e: { subject: string }) => e.subject)).toEqual(["new-owner-ci"]);
    // Platform admins still read the old owner's history.
    const all = (await admin.get("/audit?namespace=retail.legacy&resourceId=retail.legacy.crm/orders&limit=500")).body.items;
    expect(all.map((e: { subject: string }) => e.subject)).toEqual(expect.arrayContaining(["old-owner-ci", "new-owner-ci"]));
    const deletion = (await admin.get("/audit?resourceType=namespace&resourceId=retail.legacy&limit=2")).body.items.find((e: { action: string }) => e.action === "namespace.delete");
    expect(deletion).toMatchObject({ before: { removedRoleBindings: 1, removedTriggerGrants: 2, purgedDeletedFlows: 2, purgedDeletedTables: 1, purgedExecutions: 1 } });
  });
});

describe("a namespace whose subtree holds live content", () => {
  it("is a 409 listing the flows and tables, and nothing changes", async () => {
    expectStatus(await admin.post("/teams", { name: "busy-owner" }), 201);
    expectStatus(await admin.post("/namespaces", { name: "busy", ownerTeam: "busy-owner" }), 201);
    const owner = admin.as(await makeServiceAccount(admin, "busy-ci", "busy-owner"));
    expectStatus(await owner.put("/flows/busy.sub/loader", flowYaml("busy.sub", "loader")), 201);
    expectStatus(await owner.put("/tables/busy/busy_ods.items", table), 201);
    expectStatus(await owner.post("/role-bindings", { namespace: "busy.sub", role: "viewer", team: "busy-owner" }), 201);
    const auditBefore = (await admin.get("/audit?limit=1")).body.items[0].id;

    const refused = await admin.delete("/namespaces/busy");
    expectStatus(refused, 409, /flow busy\.sub\/loader/);
    expect(refused.body.detail).toMatch(/table busy\/busy_ods\.items/);
    expect(refused.body.dependents).toEqual(expect.arrayContaining(["flow busy.sub/loader", "table busy/busy_ods.items"]));
    expectStatus(await admin.get("/namespaces/busy"), 200);
    expect((await admin.get("/role-bindings?namespace=busy.sub")).body.items).toHaveLength(1);
    expect((await admin.get("/audit?limit=1")).body.items[0].id).toBe(auditBefore);
  });
});

describe("a DELETE racing writes into the namespace", () => {
  it("never leaves a live flow or table in a deleted namespace (10 rounds, 6 PUTs each)", async () => {
    expectStatus(await admin.post("/teams", { name: "racers" }), 201);
    const racer = admin.as(await makeServiceAccount(admin, "racer-ci", "racers"));
    let deletions = 0;
    for (let round = 0; round < 10; round++) {
      const ns = `race${round}`;
      expectStatus(await admin.post("/namespaces", { name: ns, ownerTeam: "racers" }), 201);
      // Warm the path (and the namespace directory's cache) so the writes race the delete, not the start-up.
      expectStatus(await racer.get(`/flows/${ns}`), 200);
      const writes = [0, 1, 2].flatMap((i) => [
        { kind: "flow", path: `/flows/${ns}.sub/f${i}`, call: () => racer.put(`/flows/${ns}.sub/f${i}`, flowYaml(`${ns}.sub`, `f${i}`)) },
        { kind: "table", path: `/tables/${ns}/${ns}_ods.t${i}`, call: () => racer.put(`/tables/${ns}/${ns}_ods.t${i}`, table) },
      ]);
      // The delete leaves first; the writes follow 0 to 33 ms later, so that across the
      // rounds some land before it, some during its transaction, some after.
      const later = (ms: number, call: () => Promise<Answer>) => new Promise<Answer>((resolve) => setTimeout(() => resolve(call()), ms));
      const [del, ...answers] = await Promise.all([admin.delete(`/namespaces/${ns}`), ...writes.map((w, i) => later(round * 2 + i * 3, w.call))]);
      for (const a of answers) expect([200, 201, 404], JSON.stringify(a.body)).toContain(a.status);
      if (del!.status === 204) {
        deletions++;
        // Deleted: no write may have landed, and none is live.
        expect(answers.map((a) => a.status), `round ${round}`).toEqual(answers.map(() => 404));
        for (const w of writes) expectStatus(await admin.get(w.path), 404);
        for (const a of answers) expect(a.body.detail).toMatch(/namespace .* does not exist/);
      } else {
        expectStatus(del!, 409, /still holds/);
        expectStatus(await admin.get(`/namespaces/${ns}`), 200);
      }
    }
    // The race is only a test if the delete won some rounds.
    expect(deletions, "rounds in which the delete won").toBeGreaterThan(0);
  }, 120_000);
});
