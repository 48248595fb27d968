/**
 * Table references of a BigQuery statement, with their spans, so they can be replaced by the
 * DuckDB names before transpiling (the transpiler reads `` `a.b.c` `` as one identifier and
 * cannot parse an unquoted `my-project-123.ds.t`). Which names are tables is the one rule of
 * @meshplane/rules (the flows' table references and the modules' lineage use it too): only
 * names in table position, never a path through an alias (`FROM ds.orders o, o.items`), a
 * CTE name or a one-part name. Lenient like the rest of this folder: an unterminated literal
 * is the transpiler's to report, with its line.
 */
import { findTableReferences } from "@meshplane/rules";
import type { TableId } from "../warehouse.ts";

export interface TableRef {
  readonly id: TableId;
  /** Source span [start, end) of the name as written. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** A `*` glued to the name: a wildcard table (`id.table` is the prefix before it). */
  readonly wildcard: boolean;
}

export function tableReferences(sql: string): TableRef[] {
  return findTableReferences(sql, { lenient: true }).occurrences.map((r) => {
    const wildcard = r.table.endsWith("*");
    const table = wildcard ? r.table.slice(0, -1) : r.table;
    const id: TableId = r.project === undefined ? { dataset: r.dataset, table } : { project: r.project, dataset: r.dataset, table };
    return { id, start: r.offset, end: r.end, line: r.line, wildcard };
  });
}
