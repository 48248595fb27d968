/**
 * `npm run bench -w control-plane -- warehouse [--target-rows 10000000] [--source-rows 1000000]`:
 * a MERGE of `source` rows (half updates, half inserts) into a `target`-row table, and an
 * append of `source` rows, through DuckDbWarehouse.query (translation, materialised
 * source, duplicate-key check, MERGE … RETURNING counts) beside the same statements run
 * by DuckDB directly (the floor: MERGE / INSERT from the source query), in one run on
 * fresh copies of the table. Target: our overhead ≤ 10 %.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DuckDbWarehouse } from "../src/warehouse/duckdb/duckdb-warehouse.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TARGET = arg("target-rows", 10_000_000);
const SOURCE = arg("source-rows", 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "mp-wh-bench-"));

const fill = (table: string) =>
  `CREATE OR REPLACE TABLE ${table} AS SELECT i AS id, 'store-' || (i % 100) AS store, CAST(i % 1000 AS DECIMAL(38,9)) AS amount FROM range(${TARGET}) t(i)`;
// Half of the source updates existing ids, half inserts new ones.
const source = `SELECT ${TARGET} - ${SOURCE / 2} + i AS id, 'store-x' AS store, CAST(1 AS DECIMAL(38,9)) AS amount FROM range(${SOURCE}) t(i)`;
const mergeFloor = (t: string) =>
  `MERGE INTO ${t} AS t USING (${source}) AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET store = s.store, amount = s.amount WHEN NOT MATCHED THEN INSERT (id, store, amount) VALUES (s.id, s.store, s.amount)`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const begun = performance.now();
  await work();
  return performance.now() - begun;
}

const floorDb = await DuckDBInstance.create(join(dir, "floor.duckdb"));
const floor = await floorDb.connect();
await floor.run("CREATE SCHEMA bench");
const wh = await DuckDbWarehouse.open(join(dir, "ours.duckdb"));
await wh.query({ sql: "CREATE SCHEMA bench", labels: {}, signal: new AbortController().signal, maxRows: 0, log: () => undefined });
const request = (sql: string, disposition: "WRITE_APPEND" | "MODE_DELTA") => ({
  sql, labels: { "meshplane-execution": "bench" }, signal: new AbortController().signal, maxRows: 0, log: () => undefined,
  destination: { table: { dataset: "bench", table: "t" }, disposition, keys: ["id"] },
});

console.log(`warehouse bench: MERGE of ${SOURCE.toLocaleString()} rows into ${TARGET.toLocaleString()}, append of ${SOURCE.toLocaleString()}`);
await floor.run(fill("bench.t"));
await wh.query({ sql: fill("bench.t"), labels: {}, signal: new AbortController().signal, maxRows: 0, log: () => undefined });
const rows: [string, number, number][] = [];
rows.push(["MERGE", await timed(() => floor.run(mergeFloor("bench.t"))), await timed(() => wh.query(request(source, "MODE_DELTA")))]);
rows.push(["append", await timed(() => floor.run(`INSERT INTO bench.t ${source.replace(`${TARGET} - ${SOURCE / 2}`, `${TARGET * 3}`)}`)), await timed(() => wh.query(request(source.replace(`${TARGET} - ${SOURCE / 2}`, `${TARGET * 3}`), "WRITE_APPEND")))]);
console.log("statement   DuckDB direct (ms)   through the adapter (ms)   ratio");
for (const [name, direct, ours] of rows) console.log(`${name.padEnd(11)} ${direct.toFixed(0).padStart(18)}   ${ours.toFixed(0).padStart(24)}   ${(ours / direct).toFixed(2)}`);
floor.closeSync();
floorDb.closeSync();
await wh.close();
rmSync(dir, { recursive: true, force: true });
