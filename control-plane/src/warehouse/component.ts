import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Component } from "../process/component.ts";
import { openWorkerWarehouse } from "./index.ts";
import type { Warehouse } from "./warehouse.ts";

/**
 * The warehouse of a process running workers: opened before them, closed after they
 * drained. `current` stays undefined when another process owns the DuckDB file; the
 * workers of this process then never claim sql.query runs.
 */
export class WarehouseComponent implements Component {
  readonly name = "warehouse";
  current: Warehouse | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.current = await openWorkerWarehouse(this.config, this.logger);
  }

  async stop(): Promise<void> {
    await this.current?.close();
    this.current = undefined;
  }
}
