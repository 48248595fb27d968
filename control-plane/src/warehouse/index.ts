import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { DuckDbWarehouse, isLockConflict } from "./duckdb/duckdb-warehouse.ts";
import type { Warehouse } from "./warehouse.ts";

/** The warehouse MESHPLANE_WAREHOUSE names. DuckDB: fails with DuckDB's lock error when another process holds the file. */
export async function openWarehouse(config: Pick<Config, "warehouse" | "duckDbPath" | "bigquery">): Promise<Warehouse> {
  if (config.warehouse === "off") throw new Error("MESHPLANE_WAREHOUSE=off: this process has no warehouse");
  if (config.warehouse === "duckdb") return DuckDbWarehouse.open(config.duckDbPath);
  // Loaded only when asked for: the Google client library is heavy, and the embedded default never needs it.
  const { bigQueryWarehouseFromConfig } = await import("./bigquery/from-config.ts");
  return bigQueryWarehouseFromConfig(config);
}

/**
 * The warehouse of a process that runs workers, or none: DuckDB lets one process open
 * its file, so the first process to open it owns it and claims every sql.query run; the
 * others run without a warehouse and never claim one (ARCHITECTURE.md "Warehouse").
 * BigQuery has no such limit: every process has it.
 */
export async function openWorkerWarehouse(config: Pick<Config, "warehouse" | "duckDbPath" | "bigquery">, logger: Logger): Promise<Warehouse | undefined> {
  if (config.warehouse === "off") {
    logger.info("no warehouse (MESHPLANE_WAREHOUSE=off): this process leaves sql.query tasks to others");
    return undefined;
  }
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
