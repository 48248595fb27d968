import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConflictError, NotFoundError, ServiceUnavailableError, UnprocessableError, ValidationError } from "../errors.ts";
import type { TableKey } from "../repositories/table-contract-repository.ts";
import type { WarehouseHolder } from "../warehouse/component.ts";
import { DuckDbWarehouse } from "../warehouse/duckdb/duckdb-warehouse.ts";
import type { LoadFormat } from "../warehouse/duckdb/load.ts";
import { WarehouseError, type FeedType, type ResultColumn, type TableId } from "../warehouse/warehouse.ts";
import type { Actor, ServiceDeps } from "./context.ts";

/** Rows a console query answers at most (the rest is dropped, `rowsTruncated` says so). */
export const QUERY_MAX_ROWS = 10_000;

export interface RowsView {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
}

/**
 * The warehouse seen through the API: a table's rows (read permission, the route checks
 * it), and the platform admin's console — a query, a file loaded into a table. Answered
 * only by the process holding the warehouse (503 elsewhere, naming why).
 */
export class WarehouseService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly holder: WarehouseHolder,
  ) {}

  async rows(key: TableKey, limit: number): Promise<RowsView> {
    const contracts = this.holder.contracts;
    const contract = contracts ? await contracts.state(key) : null;
    if (!contract) throw new NotFoundError(`table ${key.dataset}.${key.table} is not registered in namespace ${key.namespace}; list them with GET /api/v1/tables/${key.namespace}`);
    const warehouse = this.local();
    // Applies a contract PUT not applied yet (its NOTIFY may still be on its way).
    await this.holder.sync?.syncNow();
    const state = await contracts!.state(key);
    if (state?.warehouseError) {
      throw new ConflictError(
        `the warehouse table ${key.dataset}.${key.table} could not be made to match contract version ${state.version}: ${state.warehouseError}; fix the contract (PUT it again) or the table`,
      );
    }
    const preview = await warehouse.preview({ dataset: key.dataset, table: key.table }, limit).catch(asDomainError);
    return { columns: [...preview.columns], rows: [...preview.rows] };
  }

  /** BigQuery SQL is translated as a sql.query task's is (the adapter does it); `duckdb` runs as written on the embedded file. */
  async query(actor: Actor, sql: string, dialect: "bigquery" | "duckdb" = "bigquery"): Promise<RowsView & { rowsTruncated: boolean; durationMs: number }> {
    const warehouse = this.local();
    if (dialect === "duckdb" && !(warehouse instanceof DuckDbWarehouse)) {
      throw new UnprocessableError(`dialect duckdb runs on the embedded DuckDB warehouse; this server's warehouse is ${warehouse.kind}: send BigQuery SQL (dialect bigquery)`);
    }
    await this.audit(actor, "warehouse.query", "query", { sql, dialect });
    // A contract PUT just answered is a table the console can see (its NOTIFY may still be on its way).
    await this.holder.sync?.syncNow();
    const request = { sql, labels: { "meshplane-console": actor.subject }, signal: new AbortController().signal, maxRows: QUERY_MAX_ROWS, log: () => undefined };
    const result = await (warehouse instanceof DuckDbWarehouse ? warehouse.query(request, { translate: dialect === "bigquery" }) : warehouse.query(request)).catch(asDomainError);
    return { columns: [...(result.columns ?? [])], rows: [...(result.rows ?? [])], rowsTruncated: result.rowsTruncated ?? false, durationMs: result.durationMs };
  }

  async load(actor: Actor, table: TableId, file: Buffer, format: LoadFormat, replace: boolean): Promise<{ table: string; rowsLoaded: number; created: boolean }> {
    const warehouse = this.local();
    if (!(warehouse instanceof DuckDbWarehouse)) {
      throw new UnprocessableError(`loading a file is for the embedded DuckDB warehouse; this server's warehouse is ${warehouse.kind}: load into BigQuery with bq load`);
    }
    if (file.length === 0) throw new ValidationError("the file is empty; send the file's bytes as the body (Content-Type: application/octet-stream)", [{ pointer: "", message: "empty" }]);
    await this.holder.sync?.syncNow();
    const stored = await this.holder.contracts!.liveByTable(table.dataset, table.table);
    const contract = stored
      ? { namespace: stored.namespace, dataset: stored.dataset, table: stored.table, version: stored.version, schema: stored.schema, feedType: stored.feedType as FeedType, keys: stored.keys }
      : undefined;
    const name = `${table.project ? `${table.project}.` : ""}${table.dataset}.${table.table}`;
    // DuckDB's readers take a path: the body goes to a private temporary file for the load.
    const path = join(tmpdir(), `meshplane-load-${randomUUID()}.${format === "ndjson" ? "json" : format}`);
    writeFileSync(path, file, { mode: 0o600 });
    try {
      const result = await warehouse.load({ table, path, format, replace, ...(contract ? { contract } : {}), now: new Date() }).catch(asDomainError);
      await this.audit(actor, "warehouse.load", name, { format, replace, bytes: file.length, rowsLoaded: result.rowsLoaded, created: result.created });
      return { table: name, ...result };
    } finally {
      rmSync(path, { force: true });
    }
  }

  private local() {
    const warehouse = this.holder.warehouse;
    if (!warehouse) throw new ServiceUnavailableError(`no warehouse here: ${this.holder.unavailable}`, 5);
    return warehouse;
  }

  private async audit(actor: Actor, action: string, resourceId: string, after: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record(this.deps.db, { ...actor, action, resourceType: "warehouse", resourceId, after });
  }
}

/** The warehouse's own refusals (a column named, DuckDB's message) are the caller's to fix: 422. */
function asDomainError(error: unknown): never {
  if (error instanceof WarehouseError) throw new UnprocessableError(error.message);
  throw error;
}
