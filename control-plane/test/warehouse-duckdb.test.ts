import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbWarehouse, isLockConflict } from "../src/warehouse/duckdb/duckdb-warehouse.ts";
import { duckDbTableName } from "../src/warehouse/duckdb/names.ts";
import type { BqField } from "../src/tables/bq-types.ts";
import { WarehouseError, type QueryRequest, type TableContractView } from "../src/warehouse/warehouse.ts";

// The DuckDB adapter on a real DuckDB file, below the server (the flow-level tests are in sql-query.test.ts).
let dir: string;
let wh: DuckDbWarehouse;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mp-duckdb-"));
  wh = await DuckDbWarehouse.open(join(dir, "warehouse.duckdb"));
});
afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

const req = (sql: string, extra: Partial<QueryRequest> = {}): QueryRequest => ({
  sql,
  labels: { "meshplane-execution": "test" },
  signal: new AbortController().signal,
  maxRows: 100,
  log: () => undefined,
  ...extra,
});

const field = (name: string, type: BqField["type"], mode: BqField["mode"] = "NULLABLE", fields?: BqField[]): BqField => ({ name, type, mode, ...(fields ? { fields } : {}) });
const contract = (table: string, fields: BqField[], extra: Partial<TableContractView> = {}): TableContractView => ({
  namespace: "sales", dataset: "shop", table, version: "1.0.0", schema: { fields }, feedType: "MODE_DELTA", keys: ["id"], ...extra,
});
const rows = async (sql: string) => (await wh.query(req(sql))).rows;

describe("DuckDbWarehouse", () => {
  it("names tables one schema per dataset, the project dropped", () => {
    expect(duckDbTableName({ project: "acme-shop", dataset: "shop", table: "items" })).toBe('"shop"."items"');
    expect(duckDbTableName({ dataset: 'we"ird', table: "t" })).toBe('"we""ird"."t"');
  });

  it("returns rows and BigQuery-typed columns without a destination, truncated at maxRows", async () => {
    const r = await wh.query(req("SELECT i AS n, CAST(i AS DECIMAL(10,2)) AS d, 'x' AS s, [1, 2] AS l, {'a': 1} AS st FROM range(5) t(i)", { maxRows: 3 }));
    expect(r.rows).toHaveLength(3);
    expect(r.rowsTruncated).toBe(true);
    // BigQuery SQL: DECIMAL(10,2) is NUMERIC, DECIMAL(38,9) locally (the translator).
    expect(r.rows![0]).toEqual({ n: "0", d: "0.000000000", s: "x", l: [1, 2], st: { a: 1 } });
    expect(r.columns!.map((c) => [c.name, c.type, c.mode])).toEqual([
      ["n", "INTEGER", "NULLABLE"], ["d", "NUMERIC", "NULLABLE"], ["s", "STRING", "NULLABLE"], ["l", "INTEGER", "REPEATED"], ["st", "RECORD", "NULLABLE"],
    ]);
  });

  it("appends, truncates atomically and merges with insert/update counts", async () => {
    const dest = (disposition: "WRITE_APPEND" | "WRITE_TRUNCATE" | "MODE_DELTA") => ({ table: { dataset: "shop", table: "plain" }, disposition, keys: ["id"] });
    expect((await wh.query(req("SELECT 1 AS id, 'a' AS v UNION ALL SELECT 2, 'b'", { destination: dest("WRITE_APPEND") }))).rowsInserted).toBe(2);
    expect((await wh.query(req("SELECT 3 AS id, 'c' AS v", { destination: dest("WRITE_APPEND") }))).rowsInserted).toBe(1);
    const merged = await wh.query(req("SELECT 2 AS id, 'B' AS v UNION ALL SELECT 4, 'd'", { destination: dest("MODE_DELTA") }));
    expect([merged.rowsInserted, merged.rowsUpdated]).toEqual([1, 1]);
    expect(await rows("SELECT id, v FROM shop.plain ORDER BY id")).toEqual([{ id: 1, v: "a" }, { id: 2, v: "B" }, { id: 3, v: "c" }, { id: 4, v: "d" }]);
    // A failing query leaves the old rows: the DELETE of the truncate is rolled back with it.
    await expect(wh.query(req("SELECT 9 AS id, CAST('not a number' AS INT) AS v", { destination: dest("WRITE_TRUNCATE") }))).rejects.toThrow(/Conversion Error/);
    expect(await rows("SELECT count(*) AS n FROM shop.plain")).toEqual([{ n: "4" }]);
    const truncated = await wh.query(req("SELECT 7 AS id, 'g' AS v", { destination: dest("WRITE_TRUNCATE") }));
    expect([truncated.rowsInserted, truncated.rowsDeleted]).toEqual([1, 4]);
    expect(await rows("SELECT id FROM shop.plain")).toEqual([{ id: 7 }]);
  });

  it("refuses duplicate keys in a MERGE source, naming one, and writes nothing", async () => {
    const destination = { table: { dataset: "shop", table: "plain" }, disposition: "MODE_DELTA" as const, keys: ["id"] };
    const error = await wh.query(req("SELECT 8 AS id, 'x' AS v UNION ALL SELECT 5, 'y' UNION ALL SELECT 5, 'z'", { destination })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/2 rows with id = 5/);
    expect(await rows("SELECT id FROM shop.plain ORDER BY id")).toEqual([{ id: 7 }]);
  });

  it("guards every row of a MERGE in its one pass: a NULL reaching a REQUIRED column of a matched row, duplicates of a two-column key", async () => {
    const c = contract("guarded", [field("id", "INTEGER", "REQUIRED"), field("day", "DATE", "REQUIRED"), field("v", "STRING", "REQUIRED")], { keys: ["id", "day"] });
    await wh.applyContract(c, { recreate: false });
    const destination = { table: { dataset: "shop", table: "guarded" }, disposition: "MODE_DELTA" as const, contract: c };
    const merge = (sql: string) => wh.query(req(sql, { destination }));
    // A trailing line comment does not swallow the statement that wraps the query.
    const first = await merge("SELECT 1 AS id, DATE '2026-01-01' AS day, 'a' AS v UNION ALL SELECT 2, DATE '2026-01-01', 'b' -- day one");
    expect([first.rowsInserted, first.rowsUpdated]).toEqual([2, 0]);
    // Row 1 matches (an update), its v is NULL: refused although the matched row's key is fine.
    await expect(merge("SELECT 1 AS id, DATE '2026-01-01' AS day, CAST(NULL AS STRING) AS v UNION ALL SELECT 3, DATE '2026-01-01', 'c'")).rejects.toThrow(
      "column v is REQUIRED in the contract of shop.guarded, but the result has NULL there: nothing was written",
    );
    await expect(merge("SELECT 2 AS id, DATE '2026-01-01' AS day, 'x' AS v UNION ALL SELECT 2, DATE '2026-01-01', 'y' UNION ALL SELECT 2, DATE '2026-01-02', 'z'")).rejects.toThrow(
      /MODE_DELTA into shop.guarded: the result has 2 rows with id = 2, day = "2026-01-01"; keys must be unique/,
    );
    expect(await rows("SELECT id, CAST(day AS STRING) AS day, v FROM shop.guarded ORDER BY id")).toEqual([{ id: "1", day: "2026-01-01", v: "a" }, { id: "2", day: "2026-01-01", v: "b" }]);
    const second = await merge("SELECT 2 AS id, DATE '2026-01-01' AS day, 'B' AS v UNION ALL SELECT 2, DATE '2026-01-02', 'z'");
    expect([second.rowsInserted, second.rowsUpdated, second.rowsDeleted]).toEqual([1, 1, 0]);
  });

  it("creates a table from its contract (types mapped), alters it compatibly, recreates it only when allowed", async () => {
    const fields = [
      field("id", "INTEGER", "REQUIRED"), field("amount", "NUMERIC"), field("big", "BIGNUMERIC"), field("at", "TIMESTAMP"), field("local", "DATETIME"),
      field("doc", "JSON"), field("place", "GEOGRAPHY"), field("tags", "STRING", "REPEATED"), field("line", "RECORD", "NULLABLE", [field("sku", "STRING"), field("qty", "INTEGER")]),
    ];
    await wh.applyContract(contract("orders", fields), { recreate: false });
    const types = await rows("SELECT column_name AS c, data_type AS t, is_nullable AS n FROM duckdb_columns() WHERE schema_name = 'shop' AND table_name = 'orders' ORDER BY column_index");
    expect(types).toEqual([
      { c: "id", t: "BIGINT", n: false }, { c: "amount", t: "DECIMAL(38,9)", n: true }, { c: "big", t: "DECIMAL(38,18)", n: true },
      { c: "at", t: "TIMESTAMP WITH TIME ZONE", n: true }, { c: "local", t: "TIMESTAMP", n: true }, { c: "doc", t: "JSON", n: true },
      { c: "place", t: "VARCHAR", n: true }, { c: "tags", t: "VARCHAR[]", n: true }, { c: "line", t: 'STRUCT(sku VARCHAR, qty BIGINT)', n: true },
    ]);
    await wh.query(req("SELECT 1 AS id", { destination: { table: { dataset: "shop", table: "orders" }, disposition: "WRITE_APPEND" } }));
    // Compatible: a new NULLABLE column, REQUIRED relaxed. Rows stay.
    await wh.applyContract(contract("orders", [{ ...fields[0]!, mode: "NULLABLE" }, ...fields.slice(1), field("note", "STRING")], { version: "1.1.0" }), { recreate: false });
    expect(await rows("SELECT id, note FROM shop.orders")).toEqual([{ id: "1", note: null }]);
    // Breaking: a retyped column, refused in place, recreated (empty) with `recreate`.
    const retyped = contract("orders", [field("id", "STRING")], { version: "2.0.0" });
    await expect(wh.applyContract(retyped, { recreate: false })).rejects.toThrow(/cannot follow contract 2.0.0 in place: column amount was removed; a breaking change needs a new major version/);
    await wh.applyContract(retyped, { recreate: true });
    expect(await rows("SELECT count(*) AS n FROM shop.orders")).toEqual([{ n: "0" }]);
  });

  it("gates writes on the contract: missing column, wrong type, NULL in REQUIRED — nothing written; widenings pass", async () => {
    const c = contract("gated", [field("id", "INTEGER", "REQUIRED"), field("amount", "NUMERIC"), field("name", "STRING")]);
    await wh.applyContract(c, { recreate: false });
    const destination = { table: { dataset: "shop", table: "gated" }, disposition: "WRITE_APPEND" as const, contract: c };
    const write = (sql: string) => wh.query(req(sql, { destination }));
    await expect(write("SELECT 1 AS id, 2.5 AS amount")).rejects.toThrow(/no column name, which the contract of shop.gated \(contract 1.0.0\) declares/);
    await expect(write("SELECT 1 AS id, 2.5 AS amount, 42 AS name")).rejects.toThrow(/column name of the result is INTEGER, but the contract .* declares STRING/);
    await expect(write("SELECT 1 AS id, 2.5 AS amount, 'a' AS name, 1 AS extra")).rejects.toThrow(/column extra that the contract/);
    await expect(write("SELECT * FROM (VALUES (1, 1.0, 'a'), (NULL, 2.0, 'b')) v(id, amount, name)")).rejects.toThrow(/column id is REQUIRED in the contract of shop.gated, but the result has NULL there: nothing was written/);
    expect(await rows("SELECT count(*) AS n FROM shop.gated")).toEqual([{ n: "0" }]);
    // INT64 into NUMERIC, a DECIMAL(38,2) SUM into NUMERIC, untyped NULL: accepted.
    const ok = await write("SELECT 1 AS id, 3 AS amount, NULL AS name UNION ALL SELECT 2, (SELECT SUM(CAST(1.25 AS DECIMAL(10,2)))), 'b'");
    expect(ok.rowsInserted).toBe(2);
    expect(await rows("SELECT id, amount, name FROM shop.gated ORDER BY id")).toEqual([{ id: "1", amount: "3.000000000", name: null }, { id: "2", amount: "1.250000000", name: "b" }]);
  });

  it("runs statements without a result (CREATE VIEW) and previews tables", async () => {
    const r = await wh.query(req("CREATE OR REPLACE VIEW shop.v AS SELECT id FROM shop.gated"));
    expect(r.rows).toBeUndefined();
    expect((await wh.preview({ dataset: "shop", table: "gated" }, 1)).rows).toHaveLength(1);
    await expect(wh.preview({ dataset: "shop", table: "nope" }, 1)).rejects.toThrow(/no table shop.nope/);
  });

  it("interrupts the running statement when the signal aborts", async () => {
    const abort = new AbortController();
    const running = wh.query(req("SELECT count(*) FROM range(100000000000) a(x) WHERE x % 7 = 3", { signal: abort.signal }));
    setTimeout(() => abort.abort(new Error("killed")), 300);
    await expect(running).rejects.toThrow("killed");
    // The connection is usable again (the statement really stopped, not only our wait).
    expect(await rows("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("lets one process open the file: a second instance gets DuckDB's lock error", async () => {
    const { spawnSync } = await import("node:child_process");
    const script = `import('@duckdb/node-api').then(async (d) => { try { await d.DuckDBInstance.create(${JSON.stringify(wh.path)}); console.log('opened'); } catch (e) { console.log(e.message); } })`;
    const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", cwd: process.cwd() });
    expect(isLockConflict(new Error(out.stdout))).toBe(true);
  });
});
