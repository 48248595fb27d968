import type { TableId } from "../warehouse.ts";

/** `project.dataset.table` quoted for BigQuery SQL (one backticked path). */
export function tableRef(table: TableId, defaultProject: string): string {
  return `\`${table.project ?? defaultProject}.${table.dataset}.${table.table}\``;
}

function ident(name: string): string {
  return `\`${name.replace(/`/g, "\\`")}\``;
}

/**
 * MODE_DELTA as BigQuery runs it: a MERGE of the query's rows on the keys. Matched rows get
 * every non-key column of the contract; others are inserted whole (`INSERT ROW` takes the
 * source's columns by position, which the contract gate has checked name by name). A
 * source with one key twice makes BigQuery fail the statement, which is what we want.
 */
export function mergeStatement(target: string, sql: string, keys: readonly string[], columns: readonly string[]): string {
  const on = keys.map((k) => `T.${ident(k)} = S.${ident(k)}`).join(" AND ");
  const set = columns.filter((c) => !keys.includes(c)).map((c) => `${ident(c)} = S.${ident(c)}`);
  const matched = set.length > 0 ? `\nWHEN MATCHED THEN UPDATE SET ${set.join(", ")}` : "";
  // A trailing `;` would end the statement inside the subquery (a trailing comment is fine: `)` is on its own line).
  const source = sql.trim().replace(/;\s*$/, "");
  return `MERGE ${target} T\nUSING (\n${source}\n) S\nON ${on}${matched}\nWHEN NOT MATCHED THEN INSERT ROW`;
}
