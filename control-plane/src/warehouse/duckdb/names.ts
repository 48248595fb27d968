import type { TableId } from "../warehouse.ts";

/** A DuckDB identifier, always quoted: dataset and table names keep their case and may be keywords. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The quoted DuckDB name of a BigQuery table: one DuckDB schema per dataset, the project
 * dropped. The control plane treats a dataset as global (it belongs to one namespace,
 * whatever project names it: services/flow-policy.ts), so `p.d.t` and `d.t` are one table.
 * The limit: two projects with a dataset of the same name are ONE dataset locally.
 */
export function duckDbTableName(id: TableId): string {
  return `${quoteIdent(id.dataset)}.${quoteIdent(id.table)}`;
}

/** `dataset.table` or `project.dataset.table` (as sql.query's destinationTable is written). */
export function parseTableId(reference: string): TableId {
  const parts = reference.split(".");
  if (parts.length === 3) return { project: parts[0]!, dataset: parts[1]!, table: parts[2]! };
  if (parts.length === 2) return { dataset: parts[0]!, table: parts[1]! };
  throw new Error(`not a table reference: ${reference} (dataset.table or project.dataset.table)`);
}

export function tableLabel(id: TableId): string {
  return `${id.dataset}.${id.table}`;
}
