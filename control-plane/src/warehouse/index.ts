import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { DuckDbWarehouse, isLockConflict } from "./duckdb/duckdb-warehouse.ts";
import type { Warehouse } from "./warehouse.ts";

/** The warehouse MESHPLANE_WAREHOUSE names. DuckDB: fails with DuckDB's lock error when another process holds the file. */
export async function openWarehouse(config: Pick<Config, "warehouse" | "duckDbPath" | "bigQueryProject">): Promise<Warehouse> {
  if (config.warehouse === "duckdb") return DuckDbWarehouse.open(config.duckDbPath);
  // Built on the wh-bigquery branch; imported by a computed path so that this branch type-checks without it.
  const path = "./bigquery/bigquery-warehouse.ts";
  let module: { createBigQueryWarehouse: (options: { projectId: string }) => Warehouse };
  try {
    module = await import(path);
  } catch (error) {
    throw new Error(`MESHPLANE_WAREHOUSE=bigquery: the BigQuery adapter is not built yet in this build (${(error as Error).message})`);
  }
  return module.createBigQueryWarehouse({ projectId: config.bigQueryProject! });
}

/**
 * The warehouse of a process that runs workers, or none: DuckDB lets one process open
 * its file, so the first process to open it owns it and claims every sql.query run; the
 * others run without a warehouse and never claim one (ARCHITECTURE.md "Warehouse").
 * BigQuery has no such limit: every process has it.
 */
export async function openWorkerWarehouse(config: Pick<Config, "warehouse" | "duckDbPath" | "bigQueryProject">, logger: Logger): Promise<Warehouse | undefined> {
  try {
    const warehouse = await openWarehouse(config);
    logger.info({ warehouse: warehouse.kind, ...(config.warehouse === "duckdb" ? { path: config.duckDbPath } : {}) }, "warehouse open: this process runs sql.query tasks");
    return warehouse;
  } catch (error) {
    if (config.warehouse === "duckdb" && isLockConflict(error)) {
      logger.info({ path: config.duckDbPath }, "the DuckDB warehouse file is held by another process: this one leaves sql.query tasks to it");
      return undefined;
    }
    throw error;
  }
}
