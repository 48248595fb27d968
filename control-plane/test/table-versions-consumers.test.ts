/**
 * The console's table-contract page reads two lists beside the contract: its versions
 * (from the audit log of its writes, each with its changes and breaking verdict) and its
 * consumers (the live flows that read it; one in a namespace the caller cannot read is
 * counted, not named). Real server and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

const path = "/tables/retail.sales/retail_sales.orders";
const v1 = [{ name: "order_id", type: "STRING", mode: "REQUIRED" }, { name: "amount", type: "NUMERIC" }, { name: "note", type: "STRING" }];
const v2 = [{ name: "order_id", type: "STRING", mode: "REQUIRED" }, { name: "amount", type: "NUMERIC" }, { name: "status", type: "STRING" }];

describe("table versions and consumers", () => {
  let server: TestServer;
  let admin: ApiClient;
  let viewer: ApiClient;

  const registerFlow = async (namespace: string, id: string, sql: string) => {
    const put = await admin.put(`/flows/${namespace}/${id}`, `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: load\n    type: sql.query\n    sql: ${sql}\n`);
    expect(put.status, JSON.stringify(put.body)).toBe(201);
  };

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["sales", "supply", "bi"]) expect((await admin.post("/teams", { name: team })).status).toBe(201);
    for (const [name, ownerTeam] of [["retail", "sales"], ["retail.sales", "sales"], ["retail.supply", "supply"]]) {
      expect((await admin.post("/namespaces", { name, ownerTeam })).status).toBe(201);
    }
    viewer = admin.as(await makeServiceAccount(admin, "bi-reader", "bi", [{ role: "viewer", namespace: "retail.sales" }]));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 404 for a table with no contract", async () => {
    expect((await viewer.get("/tables/retail.sales/retail_sales.nothing/versions")).status).toBe(404);
    expect((await viewer.get("/tables/retail.sales/retail_sales.nothing/consumers")).status).toBe(404);
  });

  it("lists the versions oldest first with their changes and verdict, restarting after a deletion", async () => {
    expect((await admin.put(path, { schema: v1, feedType: "WRITE_APPEND" })).status).toBe(201);
    expect((await admin.put(path, { schema: v2, feedType: "WRITE_APPEND", version: "2.0.0" })).status).toBe(200);
    const versions = await viewer.get(`${path}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v: { version: string }) => v.version)).toEqual(["1.0.0", "2.0.0"]);
    const [first, second] = versions.body.items;
    expect(first).toMatchObject({ subject: "platform-admin", changes: [], breaking: false, feedType: "WRITE_APPEND" });
    expect(first.schema.fields.map((f: { name: string }) => f.name)).toEqual(["order_id", "amount", "note"]);
    expect(second.breaking).toBe(true);
    expect(second.changes).toContainEqual(expect.objectContaining({ path: "note", kind: "column-removed", breaking: true }));
    expect(second.changes).toContainEqual(expect.objectContaining({ path: "status", breaking: false }));

    expect((await admin.delete("/tables/retail.sales/retail_sales.returns")).status).toBe(404);
    expect((await admin.put("/tables/retail.sales/retail_sales.returns", { schema: v1, feedType: "WRITE_APPEND" })).status).toBe(201);
    expect((await admin.delete("/tables/retail.sales/retail_sales.returns")).status).toBe(204);
    expect((await admin.put("/tables/retail.sales/retail_sales.returns", { schema: v2, feedType: "WRITE_APPEND" })).status).toBe(201);
    const again = await viewer.get("/tables/retail.sales/retail_sales.returns/versions");
    expect(again.body.items).toHaveLength(1);
    expect(again.body.items[0].schema.fields.map((f: { name: string }) => f.name)).toEqual(["order_id", "amount", "status"]);
  });

  it("names the consumers the caller may read and counts the others", async () => {
    await registerFlow("retail.sales", "daily_revenue", "SELECT SUM(amount) FROM retail_sales.orders");
    await registerFlow("retail.supply", "restock", "SELECT order_id FROM `acme.retail_sales.orders`");
    await registerFlow("retail.supply", "unrelated", "SELECT 1");
    const asAdmin = await admin.get(`${path}/consumers`);
    expect(asAdmin.body).toEqual({ items: [{ namespace: "retail.sales", flowId: "daily_revenue" }, { namespace: "retail.supply", flowId: "restock" }], hidden: 0 });
    const asViewer = await viewer.get(`${path}/consumers`);
    expect(asViewer.status).toBe(200);
    expect(asViewer.body).toEqual({ items: [{ namespace: "retail.sales", flowId: "daily_revenue" }], hidden: 1 });
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await admin.get("/openapi.json")).body;
    expect(doc.paths["/api/v1/tables/{namespace}/{dataset}.{table}/versions"].get.operationId).toBe("listTableVersions");
    expect(doc.paths["/api/v1/tables/{namespace}/{dataset}.{table}/consumers"].get.operationId).toBe("listTableConsumers");
  });
});
