/**
 * Contracts are tables (ARCHITECTURE.md "Contracts are tables"): in the process owning the
 * warehouse, every live contract whose version the warehouse does not have yet is applied
 * (create, alter for a compatible change, recreate when the major version went up or the
 * contract was revived). It runs at start, on NOTIFY `meshplane_contracts` (a PUT in any
 * replica sends it at commit), before each preview and load in this process, and every
 * `pollMs` as the fallback for a lost notification. The outcome is written back on the
 * contract row (`warehouse_version`, `warehouse_error`): a failure is logged and answered
 * by the preview (409), never a silent divergence.
 */
import pg from "pg";
import type { Logger } from "../logger.ts";
import { CONTRACTS_CHANNEL, WarehouseContractRepository, type PendingContract } from "../repositories/warehouse-contract-repository.ts";
import type { FeedType, TableContractView, Warehouse } from "./warehouse.ts";

export class ContractSync {
  private client: pg.Client | undefined;
  private closed = false;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  /** The last failure logged per contract version: a persistent failure is logged once, not at every sync. */
  private readonly logged = new Map<string, string>();

  constructor(
    private readonly databaseUrl: string,
    private readonly repository: WarehouseContractRepository,
    private readonly warehouse: Warehouse,
    private readonly logger: Logger,
    private readonly pollMs = 30_000,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    await this.syncNow();
    this.timer = setInterval(() => void this.syncNow().catch(() => undefined), this.pollMs);
    this.timer.unref();
  }

  /** Applies what is pending; concurrent callers share the run in progress (and one more after it). */
  syncNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (const contract of await this.repository.pending()) await this.apply(contract);
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async apply(contract: PendingContract): Promise<void> {
    const name = `${contract.namespace}/${contract.dataset}.${contract.table}`;
    const recreate = contract.warehouseVersion === null || major(contract.version) > major(contract.warehouseVersion);
    try {
      await this.warehouse.applyContract(viewOf(contract), { recreate });
      await this.repository.markApplied(contract.id, contract.version);
      this.logged.delete(contract.id);
      this.logger.info({ table: name, version: contract.version, recreate }, "warehouse table matches its contract");
    } catch (error) {
      const message = (error as Error).message;
      await this.repository.markFailed(contract.id, contract.version, message);
      if (this.logged.get(contract.id) !== `${contract.version}:${message}`) {
        this.logged.set(contract.id, `${contract.version}:${message}`);
        this.logger.error({ table: name, version: contract.version, err: message }, "the warehouse table could not be made to match its contract");
      }
    }
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("notification", () => void this.syncNow().catch((error: Error) => this.logger.warn({ err: error.message }, "contract sync failed; retried at the next poll")));
    client.on("error", (error) => {
      this.logger.warn({ err: error.message }, "the contract notification connection failed; polling until it is back");
      this.client = undefined;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.listen(), 2_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CONTRACTS_CHANNEL}`);
    this.client = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
  }
}

function major(version: string): number {
  return Number(version.split(".")[0]);
}

function viewOf(c: PendingContract): TableContractView {
  return { namespace: c.namespace, dataset: c.dataset, table: c.table, version: c.version, schema: c.schema, feedType: c.feedType as FeedType, keys: c.keys };
}
