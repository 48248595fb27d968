/**
 * Contracts are tables, on a real server with its real embedded DuckDB: a PUT creates the
 * table (RECORD → STRUCT, REPEATED → LIST, NUMERIC, DATETIME vs TIMESTAMP, JSON), a
 * compatible change alters it keeping rows, an allowed breaking change recreates it; the
 * rows preview and its permissions; `meshplane warehouse load|query` through the server
 * and on the file directly.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { MESHPLANE_BIN, startServer, type TestServer } from "./support/server.ts";

const run = promisify(execFile);
const col = (name: string, type: string, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });
const fields = [
  col("order_id", "STRING", { mode: "REQUIRED" }),
  col("amount", "NUMERIC"),
  col("tags", "STRING", { mode: "REPEATED" }),
  col("ordered_at", "TIMESTAMP"),
  col("local_at", "DATETIME"),
  col("payload", "JSON"),
  col("customer", "RECORD", { fields: [col("id", "INT64"), col("zip", "STRING")] }),
];
const contract = (f: unknown[], version?: string) => ({ schema: f, feedType: "WRITE_APPEND", ...(version ? { version } : {}) });

function cli(server: TestServer, args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [MESHPLANE_BIN, "warehouse", ...args], { env: { ...process.env, MESHPLANE_DATA_DIR: server.dataDir, MESHPLANE_API_KEY: server.adminKey, MESHPLANE_URL: server.url, ...env } });
}

describe("contracts are warehouse tables", () => {
  let server: TestServer;
  let admin: ApiClient;
  let viewer: ApiClient;
  let other: ApiClient;
  const files = mkdtempSync(join(tmpdir(), "meshplane-wh-"));

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["sales", "supply"]) expect((await admin.post("/teams", { name: team })).status).toBe(201);
    for (const [name, ownerTeam] of [["retail", "sales"], ["retail.sales", "sales"], ["retail.supply", "supply"]]) expect((await admin.post("/namespaces", { name, ownerTeam })).status).toBe(201);
    viewer = admin.as(await makeServiceAccount(admin, "bi-reader", "sales", [{ role: "viewer", namespace: "retail.sales" }]));
    other = admin.as(await makeServiceAccount(admin, "ci-supply", "supply"));
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** DuckDB's own SQL (its catalog, list literals): the console's `dialect: duckdb`. */
  const query = async (sql: string) => {
    const answer = await admin.post("/warehouse/query", { sql, dialect: "duckdb" });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as { columns: { name: string; type: string; mode: string }[]; rows: Record<string, unknown>[] };
  };
  const typesOf = async (dataset: string, table: string) =>
    Object.fromEntries((await query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '${dataset}' AND table_name = '${table}'`)).rows.map((r) => [r["column_name"], r["data_type"]]));

  it("a contract PUT creates the table with BigQuery's types mapped", async () => {
    expect((await admin.put("/tables/retail.sales/retail_sales.orders", contract(fields))).status).toBe(201);
    const types = await typesOf("retail_sales", "orders");
    expect(types).toEqual({
      order_id: "VARCHAR",
      amount: "DECIMAL(38,9)",
      tags: "VARCHAR[]",
      ordered_at: "TIMESTAMP WITH TIME ZONE",
      local_at: "TIMESTAMP",
      payload: "JSON",
      customer: "STRUCT(id BIGINT, zip VARCHAR)",
    });
    const rows = await viewer.get("/tables/retail.sales/retail_sales.orders/rows");
    expect(rows.status).toBe(200);
    expect(rows.body.rows).toEqual([]);
  });

  it("a compatible change alters the table and keeps its rows; the preview shows them", async () => {
    await query(`INSERT INTO retail_sales.orders (order_id, amount, tags) VALUES ('o-1', 12.5, ['a', 'b'])`);
    const answer = await admin.put("/tables/retail.sales/retail_sales.orders", contract([...fields, col("channel", "STRING")]));
    expect(answer.status).toBe(200);
    expect((await typesOf("retail_sales", "orders"))["channel"]).toBe("VARCHAR");
    const rows = await viewer.get("/tables/retail.sales/retail_sales.orders/rows?limit=5");
    expect(rows.status).toBe(200);
    expect(rows.body.rows).toEqual([expect.objectContaining({ order_id: "o-1", amount: "12.500000000", tags: ["a", "b"], channel: null })]);
    expect(rows.body.columns.map((c: { name: string }) => c.name)).toContain("channel");
  });

  it("an allowed breaking change (new major) recreates the table", async () => {
    const answer = await admin.put("/tables/retail.sales/retail_sales.orders", contract([col("order_id", "STRING", { mode: "REQUIRED" }), col("total", "FLOAT")], "2.0.0"));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await typesOf("retail_sales", "orders")).toEqual({ order_id: "VARCHAR", total: "DOUBLE" });
    expect((await viewer.get("/tables/retail.sales/retail_sales.orders/rows")).body.rows).toEqual([]);
  });

  it("preview permissions are GET table's", async () => {
    const mine = await viewer.get("/tables/retail.sales/retail_sales.orders/rows");
    const theirs = await other.get("/tables/retail.sales/retail_sales.orders/rows");
    const getTable = await other.get("/tables/retail.sales/retail_sales.orders");
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(getTable.status);
    expect([403, 404]).toContain(theirs.status);
    expect((await viewer.get("/tables/retail.sales/retail_sales.nope/rows")).status).toBe(404);
    expect((await viewer.get("/tables/retail.sales/retail_sales.orders/rows?limit=1001")).status).toBe(400);
    expect((await viewer.post("/warehouse/query", { sql: "SELECT 1" })).status).toBe(403);
  });

  it("meshplane warehouse load (CSV, NDJSON) and query go through the running server", async () => {
    const csv = join(files, "tx.csv");
    writeFileSync(csv, "store_id,amount\ns1,10.5\ns2,3\n");
    const ndjson = join(files, "tx.ndjson");
    writeFileSync(ndjson, '{"store_id":"s3","amount":7}\n');
    const loaded = await cli(server, ["load", "acme-retail-landing.pos.transactions", csv]);
    expect(loaded.stdout).toContain("loaded 2 rows into acme-retail-landing.pos.transactions (created from the file)");
    await cli(server, ["load", "acme-retail-landing.pos.transactions", ndjson]);
    const table = await cli(server, ["query", "SELECT t.store_id, t.amount FROM `acme-retail-landing.pos.transactions` t WHERE t._PARTITIONTIME >= TIMESTAMP '2000-01-01' ORDER BY 1"]);
    expect(table.stdout.split("\n").slice(0, 5).map((l) => l.trimEnd())).toEqual(["store_id  amount", "--------  ------", "s1          10.5", "s2             3", "s3             7"]);
    const json = JSON.parse((await cli(server, ["query", "--json", "SELECT count(*) AS n, min(_PARTITIONTIME) = TIMESTAMP_TRUNC(min(_PARTITIONTIME), HOUR) AS hourly FROM pos.transactions"])).stdout);
    expect(json.rows).toEqual([{ n: "3", hourly: true }]);
  });

  it("a load into a contract's table names the column the contract does not have", async () => {
    const csv = join(files, "bad.csv");
    writeFileSync(csv, "order_id,total,surprise\no-9,1,x\n");
    await expect(cli(server, ["load", "retail_sales.orders", csv])).rejects.toMatchObject({ stderr: expect.stringContaining("column surprise of the file is not in the contract") });
  });

  it("without a server, load (Parquet too) and query open the warehouse file directly", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "meshplane-wh-direct-"));
    const direct = (args: string[]) => run(process.execPath, [MESHPLANE_BIN, "warehouse", ...args], { env: { ...process.env, MESHPLANE_DATA_DIR: dataDir, MESHPLANE_API_KEY: "", MESHPLANE_URL: "" } });
    const parquet = join(files, "stock.parquet");
    await direct(["query", "--dialect", "duckdb", `COPY (SELECT 's1' AS store_id, 40::BIGINT AS units UNION ALL SELECT 's2', 2) TO '${parquet}' (FORMAT parquet)`]);
    expect((await direct(["load", "acme-retail-landing.pos.stock", parquet])).stdout).toContain("loaded 2 rows");
    expect((await direct(["load", "acme-retail-landing.pos.stock", parquet, "--replace"])).stdout).toContain("loaded 2 rows into acme-retail-landing.pos.stock\n");
    const out = JSON.parse((await direct(["query", "--json", "SELECT store_id, units FROM pos.stock ORDER BY 1"])).stdout);
    expect(out.rows).toEqual([{ store_id: "s1", units: "40" }, { store_id: "s2", units: "2" }]);
  });
});
