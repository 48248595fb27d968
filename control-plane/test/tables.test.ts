/**
 * Table contracts over HTTP on a real server and PostgreSQL: create, read, unchanged,
 * compatible changes (version bumps), every kind of breaking change refused with 409 and
 * nothing written, major bumps, the dry run, validation with pointers, pagination, one
 * namespace per dataset, If-Match, and deletion with dependent flows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

const col = (name: string, type: string, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });
const ordersFields = [
  col("order_id", "STRING", { mode: "REQUIRED" }),
  col("amount", "NUMERIC", { precision: "12", scale: "2" }),
  col("status", "STRING", { maxLength: "20" }),
  col("tags", "STRING", { mode: "REPEATED" }),
  col("ordered_at", "TIMESTAMP"),
  col("customer", "RECORD", { fields: [col("id", "INT64"), col("address", "RECORD", { fields: [col("zip", "STRING")] })] }),
];
/** What `bq show --format=prettyjson acme:retail_sales.orders` prints (trimmed). */
const ordersTable = (fields: unknown[] = ordersFields, more: Record<string, unknown> = {}) => ({
  kind: "bigquery#table",
  id: "acme:retail_sales.orders",
  tableReference: { projectId: "acme", datasetId: "retail_sales", tableId: "orders" },
  numRows: "42",
  schema: { fields },
  timePartitioning: { type: "DAY", field: "ordered_at" },
  clustering: { fields: ["order_id"] },
  ...more,
});
const replaceField = (name: string, field: Record<string, unknown>) => ordersFields.map((f) => (f.name === name ? field : f));

describe("table contracts", () => {
  let server: TestServer;
  let admin: ApiClient;
  let dev: ApiClient;
  let maintainer: ApiClient;
  let viewer: ApiClient;
  let supply: ApiClient;

  const auditCount = async (resourceId: string) =>
    (await admin.get(`/audit?resourceType=table&resourceId=${encodeURIComponent(resourceId)}&limit=500`)).body.items.length as number;

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["sales", "supply"]) expect((await admin.post("/teams", { name: team })).status).toBe(201);
    for (const [name, ownerTeam] of [["retail", "sales"], ["retail.sales", "sales"], ["retail.supply", "supply"]]) {
      expect((await admin.post("/namespaces", { name, ownerTeam })).status).toBe(201);
    }
    dev = admin.as(await makeServiceAccount(admin, "ci-sales", "devs", [{ role: "developer", namespace: "retail.sales" }]));
    maintainer = admin.as(await makeServiceAccount(admin, "lead-sales", "devs", [{ role: "maintainer", namespace: "retail.sales" }]));
    viewer = admin.as(await makeServiceAccount(admin, "bi-reader", "devs", [{ role: "viewer", namespace: "retail.sales" }]));
    supply = admin.as(await makeServiceAccount(admin, "ci-supply", "supply"));
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe("lifecycle of retail_sales.orders", () => {
    const path = "/tables/retail.sales/retail_sales.orders";
    const resourceId = "retail.sales/retail_sales.orders";

    it("creates a contract from `bq show` output at version 1.0.0 (201) and answers it normalised", async () => {
      const created = await dev.put(path, { schema: ordersTable(), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders" });
      expect(created.status).toBe(201);
      expect(created.headers.get("etag")).toBe('"1.0.0"');
      expect(created.body).toMatchObject({ namespace: "retail.sales", dataset: "retail_sales", table: "orders", feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders", version: "1.0.0" });
      expect(created.body.schema.timePartitioning).toEqual({ type: "DAY", field: "ordered_at" });
      expect(created.body.schema.clustering).toEqual({ fields: ["order_id"] });
      expect(created.body.schema.fields[5].fields[0]).toEqual({ name: "id", type: "INTEGER", mode: "NULLABLE" });
      expect(Object.keys(created.body.schema.fields[0])).toEqual(["name", "type", "mode"]);
      expect(created.body.schema).not.toHaveProperty("tableReference");

      const got = await viewer.get(path);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);
      expect((await viewer.put(path, { schema: ordersTable(), feedType: "MODE_DELTA", keys: ["order_id"] })).status).toBe(403);
      expect(await auditCount(resourceId)).toBe(1);
    });

    it("keeps the version of an unchanged contract, however it is spelled (200, no audit event)", async () => {
      const respelled = ordersFields.map((f) => (f.name === "customer" ? { ...f, type: "STRUCT", mode: "NULLABLE" } : f));
      const same = await dev.put(path, { schema: JSON.stringify({ fields: respelled, timePartitioning: { type: "day", field: "ORDERED_AT" }, clustering: { fields: ["order_id"] } }), feedType: "MODE_DELTA", keys: ["ORDER_ID"], description: "Orders" });
      expect(same.status).toBe(200);
      expect(same.body.version).toBe("1.0.0");
      expect(await auditCount(resourceId)).toBe(1);
    });

    it("bumps the minor for a compatible change and the patch for a description", async () => {
      const widened = await dev.put(path, {
        schema: ordersTable([...replaceField("status", col("status", "STRING", { maxLength: "50" })), col("channel", "STRING")]),
        feedType: "MODE_DELTA",
        keys: ["order_id"],
        description: "Orders",
      });
      expect(widened.status).toBe(200);
      expect(widened.body.version).toBe("1.1.0");
      const described = await dev.put(path, {
        schema: ordersTable([...replaceField("status", col("status", "STRING", { maxLength: "50" })), col("channel", "STRING")]),
        feedType: "MODE_DELTA",
        keys: ["order_id"],
        description: "Orders of the day",
      });
      expect(described.body.version).toBe("1.1.1");
      const audit = (await admin.get(`/audit?resourceType=table&resourceId=${resourceId}`)).body.items;
      expect(audit.map((e: { action: string }) => e.action)).toEqual(["table.update", "table.update", "table.create"]);
      expect(audit[1].before.version).toBe("1.0.0");
      expect(audit[1].after.changes.map((c: { kind: string }) => c.kind)).toEqual(["type-widened", "column-added"]);
    });

    const current = () => [...replaceField("status", col("status", "STRING", { maxLength: "50" })), col("channel", "STRING")];
    const breaking: [string, () => Record<string, unknown>, string][] = [
      ["a removed column", () => ordersTable(current().filter((f) => f.name !== "channel")), "channel"],
      ["a narrowed type", () => ordersTable(current().map((f) => (f.name === "amount" ? col("amount", "INTEGER") : f))), "amount"],
      ["an incompatible type", () => ordersTable(current().map((f) => (f.name === "channel" ? col("channel", "INTEGER") : f))), "channel"],
      ["a column made REQUIRED", () => ordersTable(current().map((f) => (f.name === "channel" ? col("channel", "STRING", { mode: "REQUIRED" }) : f))), "channel"],
      ["REPEATED made scalar", () => ordersTable(current().map((f) => (f.name === "tags" ? col("tags", "STRING") : f))), "tags"],
      ["a nested column removed", () => ordersTable(current().map((f) => (f.name === "customer" ? col("customer", "RECORD", { fields: [col("id", "INTEGER")] }) : f))), "customer.address"],
      ["a new REQUIRED column", () => ordersTable([...current(), col("shop", "STRING", { mode: "REQUIRED" })]), "shop"],
      ["a shorter maxLength", () => ordersTable(current().map((f) => (f.name === "status" ? col("status", "STRING", { maxLength: "10" }) : f))), "status"],
      ["fewer decimals", () => ordersTable(current().map((f) => (f.name === "amount" ? col("amount", "NUMERIC", { precision: "12", scale: "1" }) : f))), "amount"],
      ["other partitioning", () => ordersTable(current(), { timePartitioning: { type: "MONTH", field: "ordered_at" } }), "timePartitioning"],
      ["other clustering", () => ordersTable(current(), { clustering: { fields: ["channel"] } }), "clustering"],
    ];

    it.each(breaking)("refuses %s with 409 listing it, and changes nothing", async (_name, schema, changedPath) => {
      const before = (await dev.get(path)).body;
      const events = await auditCount(resourceId);
      const refused = await dev.put(path, { schema: schema(), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders of the day" });
      expect(refused.status).toBe(409);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(refused.body.breakingChanges.map((c: { path: string }) => c.path)).toContain(changedPath);
      expect(refused.body.breakingChanges.every((c: { breaking: boolean; change: string }) => c.breaking && c.change.length > 0)).toBe(true);
      expect(refused.body).toMatchObject({ currentVersion: "1.1.1", nextVersion: "2.0.0" });
      expect(refused.body.detail).toContain('"version": "2.0.0"');
      expect((await dev.get(path)).body).toEqual(before);
      expect(await auditCount(resourceId)).toBe(events);
    });

    it("refuses a feed type change or new MERGE keys as breaking, and a version going backwards", async () => {
      const schema = ordersTable(current());
      const feed = await dev.put(path, { schema, feedType: "WRITE_APPEND", description: "Orders of the day" });
      expect(feed.status).toBe(409);
      expect(feed.body.breakingChanges[0]).toMatchObject({ path: "feedType", kind: "feed-type-changed" });
      const keys = await dev.put(path, { schema, feedType: "MODE_DELTA", keys: ["order_id", "channel"], description: "Orders of the day" });
      expect(keys.status).toBe(409);
      expect(keys.body.breakingChanges[0]).toMatchObject({ path: "keys" });
      const backwards = await dev.put(path, { schema, feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders of the day", version: "1.0.9" });
      expect(backwards.status).toBe(409);
      expect(backwards.body.detail).toMatch(/lower than the current version 1\.1\.1/);
      const minorOnly = await dev.put(path, { schema: breaking[0]![1](), feedType: "MODE_DELTA", keys: ["order_id"], version: "1.2.0" });
      expect(minorOnly.status).toBe(409);
    });

    it("answers the dry run without writing: breaking, the changes and the next version", async () => {
      const events = await auditCount(resourceId);
      const check = await dev.post(`${path}/check`, { schema: breaking[0]![1](), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders of the day" });
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ accepted: false, action: "update", breaking: true, currentVersion: "1.1.1", nextVersion: "2.0.0" });
      expect(check.body.changes).toEqual([expect.objectContaining({ path: "channel", kind: "column-removed", breaking: true })]);
      expect(check.body.problems[0]).toMatchObject({ kind: "breaking-change" });

      const bumped = await dev.post(`${path}/check`, { schema: breaking[0]![1](), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders of the day", version: "2.0.0" });
      expect(bumped.body).toMatchObject({ accepted: true, breaking: true, nextVersion: "2.0.0", problems: [] });
      const compatible = await dev.post(`${path}/check`, { schema: ordersTable([...current(), col("note", "STRING")]), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders of the day" });
      expect(compatible.body).toMatchObject({ accepted: true, breaking: false, nextVersion: "1.2.0" });
      const fresh = await dev.post("/tables/retail.sales/retail_sales.new_one/check", { schema: ordersFields, feedType: "WRITE_APPEND" });
      expect(fresh.body).toMatchObject({ accepted: true, action: "create", currentVersion: null, nextVersion: "1.0.0", changes: [] });
      expect((await viewer.post(`${path}/check`, { schema: ordersFields, feedType: "WRITE_APPEND" })).status).toBe(403);

      expect((await dev.get(path)).body.version).toBe("1.1.1");
      expect((await dev.get("/tables/retail.sales/retail_sales.new_one")).status).toBe(404);
      expect(await auditCount(resourceId)).toBe(events);
    });

    it("accepts a breaking change with a new major version", async () => {
      const accepted = await dev.put(path, { schema: breaking[0]![1](), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders of the day", version: "2.0.0" });
      expect(accepted.status).toBe(200);
      expect(accepted.body.version).toBe("2.0.0");
      expect(accepted.body.schema.fields.map((f: { name: string }) => f.name)).not.toContain("channel");
    });

    it("applies If-Match on the version", async () => {
      const body = { schema: breaking[0]![1](), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders, v2" };
      const stale = await dev.put(path, body, { "if-match": '"1.1.1"' });
      expect(stale.status).toBe(409);
      expect(stale.body.detail).toMatch(/expected version 1\.1\.1 .* at version 2\.0\.0/);
      const fresh = await dev.put(path, body, { "if-match": '"2.0.0"' });
      expect(fresh.status).toBe(200);
      expect(fresh.body.version).toBe("2.0.1");
    });

    it("keeps labels (checked like a flow's), a change of labels alone being a patch version, audited", async () => {
      const labelled = "/tables/retail.sales/retail_sales.labelled";
      const body = { schema: ordersFields, feedType: "WRITE_APPEND", labels: { layer: "raw", owner: "sales" } };
      const created = await dev.put(labelled, body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ labels: { layer: "raw", owner: "sales" }, version: "1.0.0" });
      expect((await dev.put(labelled, body)).body.version).toBe("1.0.0");
      const relabelled = await dev.put(labelled, { ...body, labels: { layer: "ods", owner: "sales" } });
      expect(relabelled.body).toMatchObject({ labels: { layer: "ods", owner: "sales" }, version: "1.0.1" });
      const check = await dev.post(`${labelled}/check`, { ...body, labels: {} });
      expect(check.body.changes).toEqual([expect.objectContaining({ kind: "labels-changed", level: "patch" })]);
      const bad = await dev.put(labelled, { ...body, labels: { layer: 3 } });
      expect(bad.status).toBe(400);
      expect((await dev.get(labelled)).body.labels).toEqual({ layer: "ods", owner: "sales" });
    });

    it("applies If-None-Match: * (create only): 409 naming the version and the import when it exists, 201 when it does not", async () => {
      const body = { schema: ordersFields, feedType: "WRITE_APPEND" };
      const exists = await dev.put(path, { schema: breaking[0]![1](), feedType: "MODE_DELTA", keys: ["order_id"], description: "Orders, v2" }, { "if-none-match": "*" });
      expect(exists.status).toBe(409);
      expect(exists.body.detail).toMatch(/already exists \(version 2\.0\.1\).*import it/);
      expect((await dev.get(path)).body.version).toBe("2.0.1");
      const created = await dev.put("/tables/retail.sales/retail_sales.inm_new", body, { "if-none-match": "*" });
      expect(created.status).toBe(201);
      const check = await dev.post(`${path}/check`, body, { "if-none-match": "*" });
      expect(check.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "if-match", message: expect.stringContaining("already exists") })]));
      expect((await dev.put("/tables/retail.sales/retail_sales.inm_other", body, { "if-none-match": "v1" })).status).toBe(400);
    });
  });

  describe("bad input: a clear 400 with pointers, nothing written", () => {
    const path = "/tables/retail.sales/retail_sales.bad";
    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ["MODE_DELTA without keys", { schema: ordersFields, feedType: "MODE_DELTA" }, "/keys", /MODE_DELTA merges/],
      ["keys naming an unknown column", { schema: ordersFields, feedType: "MODE_DELTA", keys: ["id"] }, "/keys/0", /no top-level column named id/],
      ["keys naming a nested field", { schema: ordersFields, feedType: "MODE_DELTA", keys: ["customer.id"] }, "/keys/0", /top-level columns/],
      ["keys naming a REPEATED column", { schema: ordersFields, feedType: "WRITE_APPEND", keys: ["tags"] }, "/keys/0", /REPEATED/],
      ["malformed schema JSON", { schema: '{"fields": [{"name": "a",', feedType: "WRITE_APPEND" }, "/schema", /not valid JSON/],
      ["an unknown column type", { schema: { fields: [col("a", "VARCHAR")] }, feedType: "WRITE_APPEND" }, "/schema/fields/0/type", /expected one of STRING/],
      ["a nested problem", { schema: ordersTable([col("c", "RECORD", { fields: [col("z", "STRING", { mdoe: "REQUIRED" })] })], { timePartitioning: undefined, clustering: undefined }), feedType: "WRITE_APPEND" }, "/schema/schema/fields/0/fields/0/mdoe", /unknown property/],
      ["no schema", { feedType: "WRITE_APPEND" }, "/schema", /bq show/],
      ["an unknown feed type", { schema: ordersFields, feedType: "UPSERT" }, "/feedType", /.+/],
      ["an unknown body field", { schema: ordersFields, feedType: "WRITE_APPEND", feed_type: "x" }, "", /feed_type/],
      ["a version that is not semver", { schema: ordersFields, feedType: "WRITE_APPEND", version: "2" }, "/version", /MAJOR\.MINOR\.PATCH/],
    ])("refuses %s", async (_name, body, pointer, message) => {
      const events = (await admin.get("/audit?resourceType=table&limit=500")).body.items.length;
      const refused = await dev.put(path, body);
      expect(refused.status).toBe(400);
      const problem = refused.body.errors.find((e: { pointer: string }) => e.pointer === pointer);
      expect(problem, JSON.stringify(refused.body.errors)).toBeDefined();
      expect(`${problem.message} ${refused.body.detail}`).toMatch(message);
      expect((await dev.get(path)).status).toBe(404);
      expect((await admin.get("/audit?resourceType=table&limit=500")).body.items.length).toBe(events);
    });

    it("refuses bad path names and an unknown namespace", async () => {
      expect((await dev.get("/tables/retail.sales/bad-dataset.x")).status).toBe(400);
      expect((await admin.put("/tables/nowhere/ds.t", { schema: ordersFields, feedType: "WRITE_APPEND" })).status).toBe(404);
    });
  });

  it("lists a namespace's tables page by page, by dataset then table", async () => {
    for (const name of ["e", "a", "d", "b", "c"]) {
      expect((await dev.put(`/tables/retail.sales/paged.${name}`, { schema: [col("x", "STRING")], feedType: "WRITE_TRUNCATE" })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { table: string }[]; nextCursor: string | null } } = await viewer.get(`/tables/retail.sales?dataset=paged&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.items.map((t) => t.table));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
    expect(pages).toBe(3);
    const all = await viewer.get("/tables/retail.sales");
    expect(all.body.items.map((t: { dataset: string; table: string }) => `${t.dataset}.${t.table}`)).toEqual(expect.arrayContaining(["paged.a", "retail_sales.orders"]));
    expect((await viewer.get("/tables/retail.sales?cursor=nonsense!")).status).toBe(400);
    expect((await supply.get("/tables/retail.sales")).status).toBe(403);
  });

  it("keeps a dataset in one namespace: 409 naming the namespace that holds it", async () => {
    const refused = await admin.put("/tables/retail.supply/retail_sales.stock", { schema: [col("sku", "STRING")], feedType: "WRITE_APPEND" });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/dataset retail_sales belongs to namespace retail\.sales/);
    expect(refused.body.datasetNamespaces).toEqual(["retail.sales"]);
    const check = await admin.post("/tables/retail.supply/retail_sales.stock/check", { schema: [col("sku", "STRING")], feedType: "WRITE_APPEND" });
    expect(check.body).toMatchObject({ accepted: false, problems: [expect.objectContaining({ kind: "dataset-namespace" })] });
    expect((await admin.get("/tables/retail.supply/retail_sales.stock")).status).toBe(404);
  });

  it("serialises concurrent writers of a dataset: no lost update, one namespace per dataset", async () => {
    const claims = await Promise.all(
      ["retail.sales", "retail.supply", "retail.sales", "retail.supply"].map((ns, i) =>
        admin.put(`/tables/${ns}/race.t${i}`, { schema: [col("x", "STRING")], feedType: "WRITE_APPEND" }),
      ),
    );
    const winner = claims.find((c) => c.status === 201)!.body.namespace as string;
    claims.forEach((c, i) => expect(c.status).toBe(i % 2 === (winner === "retail.sales" ? 0 : 1) ? 201 : 409));

    const path = `/tables/${winner}/race.shared`;
    expect((await admin.put(path, { schema: [col("a", "STRING")], feedType: "WRITE_APPEND" })).status).toBe(201);
    // Each writer adds its own column: whoever commits first makes the others' schemas drop a column.
    const writers = await Promise.all([1, 2, 3, 4, 5].map((n) => admin.put(path, { schema: [col("a", "STRING"), col(`c${n}`, "STRING")], feedType: "WRITE_APPEND" })));
    expect(writers.map((w) => w.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await admin.get(path)).body.version).toBe("1.1.0");
  });

  describe("deletion", () => {
    const path = "/tables/retail.sales/retail_sales.orders";

    it("refuses to delete a table read by flows (409 listing them), then force-deletes with access.manage", async () => {
      await registerFlow(admin, "retail.supply", "restock", "SELECT order_id FROM `acme.retail_sales.orders`");
      // The flow that feeds the table writes it: not a dependent.
      await registerFlow(admin, "retail.sales", "retail_sales.orders", "SELECT * FROM landing.orders_raw", "retail_sales.orders");
      const refused = await dev.delete(path);
      expect(refused.status).toBe(409);
      expect(refused.body.dependents).toEqual([{ kind: "flow", namespace: "retail.supply", id: "restock" }]);
      expect(refused.body.detail).toContain("retail.supply/restock");
      expect(refused.body.detail).toContain("?force=true");

      const devForce = await dev.delete(`${path}?force=true`);
      expect(devForce.status).toBe(403);
      expect(devForce.body.detail).toContain("access.manage");
      expect((await dev.get(path)).status).toBe(200);

      expect((await maintainer.delete(`${path}?force=true`)).status).toBe(204);
      expect((await dev.get(path)).status).toBe(404);
      const audit = (await admin.get("/audit?resourceType=table&resourceId=retail.sales/retail_sales.orders")).body.items;
      expect(audit[0]).toMatchObject({ action: "table.delete", subject: "lead-sales", after: { forced: true, dependents: ["retail.supply/restock"] } });
    });

    it("does not count deleted flows as dependents", async () => {
      expect((await dev.put("/tables/retail.sales/retail_sales.returns", { schema: [col("id", "STRING")], feedType: "WRITE_APPEND" })).status).toBe(201);
      await registerFlow(admin, "retail.supply", "returns_report", "SELECT id FROM retail_sales.returns");
      expect((await dev.delete("/tables/retail.sales/retail_sales.returns")).status).toBe(409);
      expect((await admin.delete("/flows/retail.supply/returns_report")).status).toBe(204);
      expect((await dev.delete("/tables/retail.sales/retail_sales.returns")).status).toBe(204);
    });

    it("sees reads through the shared SQL reader: a table-valued function's TABLE argument, a COPY source", async () => {
      // The control plane's former reader took `TABLE ds.t` for a write and did not follow COPY:
      // neither flow counted as a dependent, and the delete went through.
      expect((await dev.put("/tables/retail.sales/retail_sales.changes", { schema: [col("id", "STRING")], feedType: "WRITE_APPEND" })).status).toBe(201);
      await registerFlow(admin, "retail.supply", "changes_feed", "SELECT * FROM APPENDS(TABLE retail_sales.changes, NULL, NULL)");
      await registerFlow(admin, "retail.supply", "changes_copy", "CREATE TABLE retail_supply.changes_copy COPY retail_sales.changes");
      const refused = await dev.delete("/tables/retail.sales/retail_sales.changes");
      expect(refused.status).toBe(409);
      expect(refused.body.dependents).toEqual([
        { kind: "flow", namespace: "retail.supply", id: "changes_copy" },
        { kind: "flow", namespace: "retail.supply", id: "changes_feed" },
      ]);
      for (const id of ["changes_feed", "changes_copy"]) expect((await admin.delete(`/flows/retail.supply/${id}`)).status).toBe(204);
      expect((await dev.delete("/tables/retail.sales/retail_sales.changes")).status).toBe(204);
    });

    it("deletes a table nobody reads (204), frees its dataset, and re-creates it on PUT (201)", async () => {
      for (const name of ["a", "b", "c", "d", "e"]) expect((await dev.delete(`/tables/retail.sales/paged.${name}`)).status).toBe(204);
      expect((await dev.delete("/tables/retail.sales/paged.a")).status).toBe(404);
      const again = await dev.put("/tables/retail.sales/paged.a", { schema: [col("x", "STRING"), col("y", "STRING")], feedType: "WRITE_TRUNCATE" });
      expect(again.status).toBe(201);
      expect(again.body.version).toBe("1.1.0");
      expect((await dev.delete("/tables/retail.sales/paged.a")).status).toBe(204);
      const elsewhere = await admin.put("/tables/retail.supply/paged.stock", { schema: [col("sku", "STRING")], feedType: "WRITE_APPEND" });
      expect(elsewhere.status).toBe(201);
    });
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await (await fetch(`${server.api}/openapi.json`)).json();
    expect(Object.keys(doc.paths["/api/v1/tables/{namespace}/{dataset}.{table}"])).toEqual(expect.arrayContaining(["put", "get", "delete"]));
    expect(doc.paths["/api/v1/tables/{namespace}/{dataset}.{table}/check"].post.operationId).toBe("checkTable");
    expect(doc.paths["/api/v1/tables/{namespace}"].get.operationId).toBe("listTables");
  });
});

/** Registers a flow through the flows API, which records the tables its SQL reads and writes. */
async function registerFlow(client: ApiClient, namespace: string, id: string, sql: string, destinationTable?: string): Promise<void> {
  const destination = destinationTable ? `    destinationTable: ${destinationTable}\n` : "";
  const yaml = `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: load\n    type: sql.query\n    sql: ${sql}\n${destination}`;
  const put = await client.put(`/flows/${namespace}/${id}`, yaml);
  expect(put.status, JSON.stringify(put.body)).toBe(201);
}
