import type pg from "pg";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Component } from "../process/component.ts";
import { WarehouseContractRepository } from "../repositories/warehouse-contract-repository.ts";
import { ContractSync } from "./contract-sync.ts";
import { openWorkerWarehouse } from "./index.ts";
import type { Warehouse } from "./warehouse.ts";

/**
 * What the API's warehouse services see (services/warehouse-service.ts): the ONE warehouse
 * of this process (the workers' own, `WarehouseComponent.current`), its contract sync, or
 * why there is none (their endpoints answer 503 saying so).
 */
export class WarehouseHolder {
  warehouse: Warehouse | undefined;
  sync: ContractSync | undefined;
  contracts: WarehouseContractRepository | undefined;
  unavailable = "the warehouse is not started yet";
}

/** A `serve` process: the API's holder, and what the contract sync needs (its pool, LISTEN's URL). */
export interface WarehouseApi {
  readonly holder: WarehouseHolder;
  readonly pool: () => pg.Pool;
  readonly databaseUrl: () => string;
}

/**
 * The warehouse of a process: opened before the workers, closed after they drained. It is
 * the only one the process opens (DuckDB locks its file): the workers' sql.query runs, and
 * in `serve` the contract sync, table previews, console queries and loads all use it.
 * `current` stays undefined when another process owns the DuckDB file (the workers of
 * this process then never claim sql.query runs), with MESHPLANE_WAREHOUSE=off, and on
 * DuckDB in an API-only replica and in `meshplane worker` (`open: false`: the file is left
 * to `serve`, the process with the contract sync).
 */
export class WarehouseComponent implements Component {
  readonly name = "warehouse";
  current: Warehouse | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly api?: WarehouseApi,
    private readonly open = true,
  ) {}

  async start(): Promise<void> {
    const { api, config } = this;
    if (api) api.holder.contracts = new WarehouseContractRepository(api.pool());
    if (config.warehouse === "off") {
      if (api) api.holder.unavailable = "this process runs without a warehouse (MESHPLANE_WAREHOUSE=off)";
      return;
    }
    if (!this.open) {
      if (api) api.holder.unavailable = "this API-only replica (MESHPLANE_WORKER_CONCURRENCY=0) leaves the DuckDB file to the process running workers; send warehouse requests there";
      else this.logger.info({ path: config.duckDbPath }, "the DuckDB warehouse belongs to `meshplane serve`: this worker leaves sql.query tasks to it (with MESHPLANE_WAREHOUSE=bigquery every worker runs them)");
      return;
    }
    this.current = await openWorkerWarehouse(config, this.logger);
    if (!api) return;
    if (!this.current) {
      api.holder.unavailable = `the warehouse file ${config.duckDbPath} is held by another process; send warehouse requests to the process that holds it`;
      return;
    }
    api.holder.warehouse = this.current;
    api.holder.sync = new ContractSync(api.databaseUrl(), api.holder.contracts!, this.current, this.logger);
    await api.holder.sync.start();
    api.holder.unavailable = "";
  }

  async stop(): Promise<void> {
    const holder = this.api?.holder;
    if (holder) {
      holder.unavailable = "the server is shutting down";
      await holder.sync?.close();
      holder.sync = undefined;
      holder.warehouse = undefined;
    }
    await this.current?.close();
    this.current = undefined;
  }
}
