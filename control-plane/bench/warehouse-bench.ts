/**
 * `npm run bench -w control-plane -- warehouse [--target-rows 10000000] [--source-rows 1000000]`:
 * a MERGE of `source` rows (half updates, half inserts) into a `target`-row table, and an
 * append of `source` rows, through DuckDbWarehouse.query (translation, the
 * contract's columns from the prepared statement, the duplicate-key and REQUIRED guards, counts) beside the same statements run
 * by DuckDB directly (the floor: MERGE / INSERT from the source query), in one run on
 * fresh copies of the table, median of `--rounds` (5). Target: our overhead ≤ 10 %.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DuckDbWarehouse } from "../src/warehouse/duckdb/duckdb-warehouse.ts";
import type { TableContractView } from "../src/warehouse/warehouse.ts";

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
const mergeFloor = (t: string, src = source) =>
  `MERGE INTO ${t} AS t USING (${src}) AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET store = s.store, amount = s.amount WHEN NOT MATCHED THEN INSERT (id, store, amount) VALUES (s.id, s.store, s.amount)`;

// The floor with the row checks BigQuery makes and DuckDB's MERGE does not (a key matched
// by two source rows fails; REQUIRED id), written by hand as the adapter guards them.
const checked = (src: string, keyed: boolean) =>
  keyed
    ? `SELECT CASE WHEN n > 1 THEN error('duplicate id ' || id) WHEN id IS NULL THEN error('id is NULL') ELSE id END AS id, store, amount FROM (SELECT *, count(*) OVER (PARTITION BY id) AS n FROM (${src}))`
    : `SELECT CASE WHEN id IS NULL THEN error('id is NULL') ELSE id END AS id, store, amount FROM (${src})`;
const contract: TableContractView = {
  namespace: "bench", dataset: "bench", table: "t", version: "1.0.0", feedType: "MODE_DELTA", keys: ["id"],
  schema: { fields: [{ name: "id", type: "INTEGER", mode: "REQUIRED" }, { name: "store", type: "STRING", mode: "NULLABLE" }, { name: "amount", type: "NUMERIC", mode: "NULLABLE" }] },
};

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
  destination: { table: { dataset: "bench", table: "t" }, disposition, keys: ["id"], contract },
});

const ROUNDS = arg("rounds", 5);
console.log(`warehouse bench: MERGE of ${SOURCE.toLocaleString()} rows into ${TARGET.toLocaleString()}, append of ${SOURCE.toLocaleString()}; median of ${ROUNDS} rounds, each on fresh copies`);
const appendSource = source.replace(`${TARGET} - ${SOURCE / 2}`, `${TARGET * 3}`);
type Times = { direct: number[]; checked: number[]; ours: number[] };
const times: Record<"MERGE" | "append", Times> = { MERGE: { direct: [], checked: [], ours: [] }, append: { direct: [], checked: [], ours: [] } };
for (let round = 0; round < ROUNDS; round++) {
  for (const name of ["MERGE", "append"] as const) {
    const statements = name === "MERGE" ? [mergeFloor("bench.t"), mergeFloor("bench.t", checked(source, true))] : [`INSERT INTO bench.t ${appendSource}`, `INSERT INTO bench.t ${checked(appendSource, false)}`];
    for (const [i, statement] of statements.entries()) {
      await floor.run(fill("bench.t"));
      await floor.run("CHECKPOINT");
      (i === 0 ? times[name].direct : times[name].checked).push(await timed(() => floor.run(statement)));
    }
    await wh.query({ sql: fill("bench.t"), labels: {}, signal: new AbortController().signal, maxRows: 0, log: () => undefined });
    // Checkpointed as the floor's file is, so the statement does not pay for the fill.
    await wh.query({ sql: "CHECKPOINT", labels: {}, signal: new AbortController().signal, maxRows: 0, log: () => undefined }, { translate: false });
    times[name].ours.push(await timed(() => wh.query(name === "MERGE" ? request(source, "MODE_DELTA") : request(appendSource, "WRITE_APPEND"))));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log("statement   DuckDB direct (ms)   direct + row checks (ms)   through the adapter (ms)   ratio to direct   to direct + checks   (rounds: direct / checked / ours)");
for (const [name, t] of Object.entries(times)) {
  const rounds = t.direct.map((d, i) => `${d.toFixed(0)}/${t.checked[i]!.toFixed(0)}/${t.ours[i]!.toFixed(0)}`).join(" ");
  const [d, c, o] = [median(t.direct), median(t.checked), median(t.ours)];
  console.log(`${name.padEnd(11)} ${d.toFixed(0).padStart(18)}   ${c.toFixed(0).padStart(24)}   ${o.toFixed(0).padStart(24)}   ${(o / d).toFixed(2).padStart(15)}   ${(o / c).toFixed(2).padStart(18)}   (${rounds})`);
}
floor.closeSync();
floorDb.closeSync();
await wh.close();
rmSync(dir, { recursive: true, force: true });
