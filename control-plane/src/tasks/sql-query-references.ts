import { findTableReferences } from "@meshplane/rules";
import type { SqlQueryTask } from "./sql-query.ts";
import type { TaskReferences } from "./task-definition.ts";

/**
 * The tables a sql.query reads and writes: its SQL through the one reader of
 * @meshplane/rules (the modules' lineage uses it too), and its destinationTable. Lenient:
 * an unterminated literal ends where BigQuery would refuse the whole script, so a stored
 * flow never fails to derive and nothing before it is lost.
 */
export function sqlQueryReferences(task: SqlQueryTask): TaskReferences {
  const tables: { dataset: string; table: string; kind: "reads" | "writes"; at: (string | number)[] }[] = [];
  for (const t of findTableReferences(task.sql, { lenient: true }).tables) {
    tables.push({ dataset: t.dataset, table: t.table, kind: t.role === "write" ? "writes" : "reads", at: ["sql"] });
  }
  if (task.destinationTable) {
    // `t$20260101` writes one day of table t: the lineage and write ownership are t's.
    const parts = task.destinationTable.replace(/\$[^.]*$/, "").split(".");
    tables.push({ dataset: parts[parts.length - 2]!, table: parts[parts.length - 1]!, kind: "writes", at: ["destinationTable"] });
  }
  return { tables };
}
