/**
 * Partition decorators on the DuckDB adapter (`dataset.table$YYYYMMDD`, BigQuery's meaning):
 * WRITE_TRUNCATE replaces only that day's rows of a day-partitioned table, WRITE_APPEND adds
 * to it, rows of another day are refused naming the column, and what cannot be a day
 * partition write is refused saying what to do. On a real DuckDB file, below the server
 * (validate/PUT and a run through the server are in sql-query.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BqField, TableSchema } from "../src/tables/bq-types.ts";
import { DuckDbWarehouse } from "../src/warehouse/duckdb/duckdb-warehouse.ts";
import type { FeedType, QueryRequest, TableContractView } from "../src/warehouse/warehouse.ts";

let dir: string;
let wh: DuckDbWarehouse;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mp-partitions-"));
  wh = await DuckDbWarehouse.open(join(dir, "warehouse.duckdb"));
});
afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

const field = (name: string, type: BqField["type"], mode: BqField["mode"] = "NULLABLE"): BqField => ({ name, type, mode });
const contract = (table: string, schema: TableSchema): TableContractView => ({ namespace: "sales", dataset: "shop", table, version: "1.0.0", schema, feedType: "WRITE_APPEND", keys: [] });
const BY_DAY = (table: string, column: string, type: BqField["type"]) =>
  contract(table, { fields: [field(column, type, "REQUIRED"), field("store", "STRING"), field("amount", "INTEGER")], timePartitioning: { type: "DAY", field: column } });

const write = (sql: string, table: string, disposition: FeedType, c?: TableContractView): Promise<{ rowsInserted: number; rowsDeleted: number }> =>
  wh.query({
    sql,
    destination: { table: { dataset: "shop", table }, disposition, ...(c && { contract: c }) },
    labels: { "meshplane-execution": "test" },
    signal: new AbortController().signal,
    maxRows: 100,
    log: () => undefined,
  } satisfies QueryRequest);
const rows = async (sql: string) => (await wh.query({ sql, labels: {}, signal: new AbortController().signal, maxRows: 1000, log: () => undefined })).rows!;

describe("partition decorators on DuckDB", () => {
  it("WRITE_TRUNCATE of table$YYYYMMDD replaces that day's rows only (DATE column); WRITE_APPEND adds to the day", async () => {
    const c = BY_DAY("daily", "day", "DATE");
    await wh.applyContract(c, { recreate: false });
    const seed = await write(
      "SELECT DATE '2026-01-01' AS day, 'a' AS store, 1 AS amount UNION ALL SELECT DATE '2026-01-01', 'b', 2 UNION ALL SELECT DATE '2026-01-02', 'a', 3",
      "daily",
      "WRITE_APPEND",
      c,
    );
    expect(seed.rowsInserted).toBe(3);

    const replaced = await write("SELECT DATE '2026-01-01' AS day, 'c' AS store, 10 AS amount", "daily$20260101", "WRITE_TRUNCATE", c);
    expect(replaced).toMatchObject({ rowsDeleted: 2, rowsInserted: 1 });
    const appended = await write("SELECT DATE '2026-01-02' AS day, 'd' AS store, 4 AS amount", "daily$20260102", "WRITE_APPEND", c);
    expect(appended).toMatchObject({ rowsDeleted: 0, rowsInserted: 1 });
    expect(await rows("SELECT CAST(day AS STRING) AS day, store, amount FROM shop.daily ORDER BY day, store")).toEqual([
      { day: "2026-01-01", store: "c", amount: "10" },
      { day: "2026-01-02", store: "a", amount: "3" },
      { day: "2026-01-02", store: "d", amount: "4" },
    ]);
  });

  it("a TIMESTAMP column's day is UTC's: 23:30 on the 1st in Paris is the 1st UTC, 00:30 in Paris on the 2nd is still the 1st", async () => {
    const c = BY_DAY("events", "at", "TIMESTAMP");
    await wh.applyContract(c, { recreate: false });
    await write("SELECT TIMESTAMP '2026-01-01 12:00:00+00' AS at, 'old' AS store, 1 AS amount UNION ALL SELECT TIMESTAMP '2026-01-02 00:00:00+00', 'next', 2", "events", "WRITE_APPEND", c);
    const r = await write(
      "SELECT TIMESTAMP '2026-01-01 23:30:00+01:00' AS at, 'x' AS store, 1 AS amount UNION ALL SELECT TIMESTAMP '2026-01-02 00:30:00+01:00', 'y', 2",
      "events$20260101",
      "WRITE_TRUNCATE",
      c,
    );
    expect(r).toMatchObject({ rowsDeleted: 1, rowsInserted: 2 });
    expect((await rows("SELECT store FROM shop.events ORDER BY store")).map((x) => x["store"])).toEqual(["next", "x", "y"]);
  });

  it("refuses rows of another day (or NULL) naming the column and the partition, and writes nothing", async () => {
    const c = BY_DAY("daily", "day", "DATE");
    const before = await rows("SELECT count(*) AS n FROM shop.daily");
    await expect(write("SELECT DATE '2026-01-01' AS day, 'z' AS store, 1 AS amount UNION ALL SELECT DATE '2026-01-03', 'z', 2", "daily$20260101", "WRITE_TRUNCATE", c)).rejects.toThrow(
      "a row of the result has day = 2026-01-03, outside the partition $20260101 of shop.daily (day on 2026-01-01): nothing was written; filter the query on day",
    );
    expect(await rows("SELECT count(*) AS n FROM shop.daily")).toEqual(before);
    const nullable = contract("loose", { fields: [field("day", "DATE"), field("store", "STRING")], timePartitioning: { type: "DAY", field: "day" } });
    await wh.applyContract(nullable, { recreate: false });
    await expect(write("SELECT CAST(NULL AS DATE) AS day, 'z' AS store", "loose$20260101", "WRITE_APPEND", nullable)).rejects.toThrow(/a row of the result has day = NULL, outside the partition \$20260101 of shop\.loose/);
  });

  it("refuses a decorator it cannot honour, saying what to do instead", async () => {
    const c = BY_DAY("daily", "day", "DATE");
    await expect(write("SELECT DATE '2026-01-01' AS day, 'a' AS store, 1 AS amount", "daily$20260101", "MODE_DELTA", { ...c, keys: ["store"] })).rejects.toThrow(
      /shop\.daily\$20260101: MODE_DELTA cannot target a partition decorator .* name the table without \$/,
    );
    await expect(write("SELECT 1 AS x", "nocontract$20260101", "WRITE_TRUNCATE")).rejects.toThrow(/shop\.nocontract\$20260101: a partition decorator needs a day-partitioned table, and shop\.nocontract has no contract/);
    const byMonth = contract("monthly", { fields: [field("day", "DATE")], timePartitioning: { type: "MONTH", field: "day" } });
    await expect(write("SELECT DATE '2026-01-01' AS day", "monthly$20260101", "WRITE_TRUNCATE", byMonth)).rejects.toThrow(/is not partitioned by day \(it is by MONTH\)/);
    const ingestion = contract("landing", { fields: [field("v", "STRING")], timePartitioning: { type: "DAY" } });
    await expect(write("SELECT 'a' AS v", "landing$20260101", "WRITE_APPEND", ingestion)).rejects.toThrow(/partitioned by ingestion time, which the local warehouse does not keep/);
    await expect(write("SELECT DATE '2026-01-01' AS day", "daily$2026010112", "WRITE_TRUNCATE", c)).rejects.toThrow(/partition decorator \$2026010112 is not supported: only day decorators \$YYYYMMDD/);
    await expect(write("SELECT DATE '2026-01-01' AS day", "daily$20260230", "WRITE_TRUNCATE", c)).rejects.toThrow(/\$20260230 is not a calendar day/);
  });
});
