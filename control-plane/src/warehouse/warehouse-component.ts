/**
 * The embedded warehouse of a `serve` process: `<data dir>/warehouse.duckdb`, opened at
 * start. DuckDB lets one process hold the file: when another holds it (a second replica
 * on the same data dir) this process runs without it, and its warehouse endpoints answer
 * 503 saying so. Contracts are applied here (contract-sync.ts).
 */
import { join } from "node:path";
import type { Logger } from "../logger.ts";
import type { Component } from "../process/component.ts";
import { WarehouseContractRepository } from "../repositories/warehouse-contract-repository.ts";
import { ContractSync } from "./contract-sync.ts";
import { LocalDuckDbWarehouse, type LocalWarehouse } from "./local-duckdb.ts";
import type pg from "pg";

/** What the services see: the warehouse of this process, or why there is none. */
export class WarehouseHolder {
  warehouse: LocalWarehouse | undefined;
  sync: ContractSync | undefined;
  contracts: WarehouseContractRepository | undefined;
  unavailable = "the warehouse is not started yet";
}

export class WarehouseComponent implements Component {
  readonly name = "warehouse";

  constructor(
    private readonly holder: WarehouseHolder,
    private readonly options: { readonly mode: "duckdb" | "off"; readonly dataDir: string },
    private readonly pool: () => pg.Pool,
    private readonly databaseUrl: () => string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const { holder, options, logger } = this;
    holder.contracts = new WarehouseContractRepository(this.pool());
    if (options.mode === "off") {
      holder.unavailable = "this process runs without a warehouse (MESHPLANE_WAREHOUSE=off)";
      return;
    }
    const file = join(options.dataDir, "warehouse.duckdb");
    try {
      holder.warehouse = await LocalDuckDbWarehouse.open(file);
    } catch (error) {
      holder.unavailable = `the warehouse file ${file} is held by another process (${(error as Error).message.split("\n")[0]}); send warehouse requests to the process that holds it`;
      logger.warn({ file, err: (error as Error).message }, "running without the warehouse: another process holds its file");
      return;
    }
    holder.sync = new ContractSync(this.databaseUrl(), holder.contracts, holder.warehouse, logger);
    await holder.sync.start();
    holder.unavailable = "";
  }

  async stop(): Promise<void> {
    const { holder } = this;
    holder.unavailable = "the server is shutting down";
    await holder.sync?.close();
    await holder.warehouse?.close();
    holder.sync = undefined;
    holder.warehouse = undefined;
  }
}
