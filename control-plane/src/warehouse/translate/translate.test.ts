/**
 * The differential corpus (corpus/*.yaml): BigQuery SQL → the rows BigQuery returns, run
 * through translateBigQuery and a real in-memory DuckDB. Each case creates its fixture
 * tables (DuckDB SQL, schema = dataset); `error` cases assert the refusal names the construct
 * and its line. Values are compared in one canonical form: scalars as strings (as BigQuery's
 * REST API returns them), decimals without trailing zeros, timestamps as DuckDB prints them in UTC.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WarehouseError, type TableId } from "../warehouse.ts";
import { translateBigQuery } from "./translate.ts";

interface Case {
  name: string;
  setup?: string;
  /** BigQuery SQL, or `sqlFile`: a file of the repository run unchanged (the examples' queries). */
  sql?: string;
  sqlFile?: string;
  /** Columns whose value is the clock's (CURRENT_TIMESTAMP()): dropped before comparing. */
  ignore?: string[];
  rows?: Record<string, unknown>[];
  /** Row order is not part of the answer (no ORDER BY). */
  unordered?: boolean;
  error?: { construct: string; line: number };
}

const dir = join(import.meta.dirname, "corpus");
const repoRoot = join(import.meta.dirname, "../../../..");
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
const resolveTable = (id: TableId): string => `"${id.dataset}"."${id.table}"`;

// Today in Paris, for the cases whose answer holds CURRENT_DATE('Europe/Paris').
const parisDay = (offsetDays = 0): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date(Date.now() + offsetDays * 86_400_000));

function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  let s = String(v);
  const today = /^\$TODAY_PARIS([+-]\d+)?$/.exec(s);
  if (today) s = parisDay(Number(today[1] ?? 0));
  if (/^-?\d+\.\d*$/.test(s)) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}

describe("BigQuery SQL on DuckDB: the differential corpus", () => {
  let instance: DuckDBInstance;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:");
  });
  afterAll(() => instance?.closeSync());

  for (const file of files) {
    const cases = parse(readFileSync(join(dir, file), "utf8")) as Case[];
    describe(file, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const bq = c.sqlFile ? readFileSync(join(repoRoot, c.sqlFile), "utf8") : c.sql!;
          if (c.error) {
            const err = await translateBigQuery(bq, { resolveTable }).then(() => null, (e: unknown) => e);
            expect(err).toBeInstanceOf(WarehouseError);
            expect((err as Error).message).toContain(c.error.construct);
            expect((err as Error).message).toContain(`line ${c.error.line}`);
            return;
          }
          const { sql } = await translateBigQuery(bq, { resolveTable });
          // Each case in its own database: fixture tables never leak between cases.
          const db = await DuckDBInstance.create(":memory:");
          const conn: DuckDBConnection = await db.connect();
          try {
            await conn.run("SET TimeZone = 'UTC'");
            if (c.setup) await conn.run(c.setup);
            const read = (await conn.runAndReadAll(sql)).getRowObjectsJson();
            for (const r of read) for (const col of c.ignore ?? []) delete r[col];
            const rows = canonical(read) as unknown[];
            const want = canonical(c.rows ?? []) as unknown[];
            const sortKey = (r: unknown): string => JSON.stringify(r);
            if (c.unordered) expect([...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b))), sql).toEqual([...want].sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
            else expect(rows, sql).toEqual(want);
          } finally {
            conn.closeSync();
            db.closeSync();
          }
        });
      }
    });
  }
});
