// STUB of wh-duckdb until the wh-translate branch merges (it owns this file and replaces it):
// resolves backticked table paths only; everything else goes to DuckDB as written.
import type { TableId } from "../warehouse.ts";

export async function translateBigQuery(sql: string, options: { resolveTable: (id: TableId) => string }): Promise<{ sql: string }> {
  return {
    sql: sql.replace(/`([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+){1,2})`/g, (_, path: string) => {
      const parts = path.split(".");
      return options.resolveTable(parts.length === 3 ? { project: parts[0]!, dataset: parts[1]!, table: parts[2]! } : { dataset: parts[0]!, table: parts[1]! });
    }),
  };
}
