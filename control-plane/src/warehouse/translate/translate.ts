/**
 * BigQuery SQL → DuckDB SQL for the local warehouse (SPEC §10): the polyglot transpiler,
 * with table names resolved here (rewrite.ts fixes what it gets wrong) and a refusal naming
 * the construct and its line for what cannot give BigQuery's answer locally (refuse.ts).
 * The transpiler's WASM starts once per process, on the first call (~0.9 s).
 */
import { WarehouseError, type TableId } from "../warehouse.ts";
import { refusals } from "./refuse.ts";
import { applyEdits, postRewrite, preEdits, RewriteError, type Edit } from "./rewrite.ts";
import { tableReferences } from "./tables.ts";
import { tokenize } from "./tokens.ts";

type Sdk = typeof import("@polyglot-sql/sdk");
let sdk: Promise<Sdk> | undefined;

function polyglot(): Promise<Sdk> {
  sdk ??= import("@polyglot-sql/sdk").then(async (m) => {
    await m.init();
    return m;
  });
  return sdk;
}

export async function translateBigQuery(sql: string, options: { resolveTable: (id: TableId) => string }): Promise<{ sql: string }> {
  const tokens = tokenize(sql, "bigquery");
  const refused = refusals(tokens);
  const refs = tableReferences(sql);
  for (const r of refs)
    if (r.wildcard) refused.push({ construct: `wildcard table ${r.id.dataset}.${r.id.table}*`, line: r.line, why: "wildcard tables do not exist locally" });
  if (refused.length > 0) {
    const r = refused.sort((a, b) => a.line - b.line)[0]!;
    throw new WarehouseError(`${r.construct} (line ${r.line}) cannot run on the local warehouse: ${r.why}`);
  }
  let edits: Edit[];
  try {
    edits = preEdits(tokens);
  } catch (e) {
    if (e instanceof RewriteError) throw new WarehouseError(`${e.construct} (line ${e.line}) cannot run on the local warehouse: ${e.message}`);
    throw e;
  }
  const tables: string[] = [];
  for (const r of refs) {
    edits.push({ start: r.start, end: r.end, text: `__mp_t${tables.length}__` });
    tables.push(options.resolveTable(r.id));
  }
  const prepared = applyEdits(sql, edits);
  const { transpile, Dialect } = await polyglot();
  const result = transpile(prepared, Dialect.BigQuery, Dialect.DuckDB, { unsupportedLevel: "raise" });
  if (!result.success || !result.sql) {
    const line = result.errorLine;
    const source = line ? sql.split("\n")[line - 1]?.trim() : undefined;
    throw new WarehouseError(
      `cannot translate BigQuery SQL${line ? ` at line ${line} (${JSON.stringify(source)})` : ""}: ${result.error ?? "the transpiler gave no SQL"}`,
    );
  }
  return { sql: postRewrite(result.sql.join(";\n"), tables) };
}
