/**
 * `npm run bench -w @meshplane/control-plane -- translate`: the cost of translateBigQuery
 * (src/warehouse/translate/) over the differential corpus — the first call (it starts the
 * transpiler's WASM), then every translatable case ROUNDS times, p50/p99 per query.
 * Target: p99 ≤ 50 ms a query once started (a task's translation is noise next to its run).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parse } from "yaml";
import { translateBigQuery } from "../src/warehouse/translate/translate.ts";

const ROUNDS = Number(process.env["BENCH_TRANSLATE_ROUNDS"] ?? 20);
const dir = join(import.meta.dirname, "../src/warehouse/translate/corpus");
const root = join(import.meta.dirname, "../..");
const queries: string[] = [];
for (const f of readdirSync(dir).filter((x) => x.endsWith(".yaml")).sort())
  for (const c of parse(readFileSync(join(dir, f), "utf8")) as { sql?: string; sqlFile?: string; error?: unknown }[])
    if (!c.error) queries.push(c.sqlFile ? readFileSync(join(root, c.sqlFile), "utf8") : c.sql!);

const resolveTable = (id: { dataset: string; table: string }): string => `"${id.dataset}"."${id.table}"`;
let t = performance.now();
await translateBigQuery(queries[0]!, { resolveTable });
const first = performance.now() - t;
const times: number[] = [];
for (let r = 0; r < ROUNDS; r++)
  for (const q of queries) {
    t = performance.now();
    await translateBigQuery(q, { resolveTable });
    times.push(performance.now() - t);
  }
times.sort((a, b) => a - b);
const at = (p: number): number => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
const p99 = at(99);
console.table([
  { measure: "first call (WASM start + translation)", ms: first.toFixed(1) },
  { measure: `per query p50 (${queries.length} queries × ${ROUNDS})`, ms: at(50).toFixed(2) },
  { measure: "per query p99 (target ≤ 50 ms)", ms: p99.toFixed(2) },
  { measure: "per query max", ms: times[times.length - 1]!.toFixed(2) },
]);
if (p99 > 50) process.exitCode = 1;
