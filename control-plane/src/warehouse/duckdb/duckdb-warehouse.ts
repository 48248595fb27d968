import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance, DuckDBResultReader, ResultReturnType, StatementType, type DuckDBConnection } from "@duckdb/node-api";
import { translateBigQuery } from "../translate/translate.ts";
import { WarehouseError, type QueryRequest, type QueryResult, type TableContractView, type TableId, type TablePreview, type Warehouse } from "../warehouse.ts";
import { applyContractOn, tableExists } from "./ddl.ts";
import { loadOn, type LoadRequest, type LoadResult } from "./load.ts";
import { duckDbTableName, tableLabel } from "./names.ts";
import { resultColumn } from "./types.ts";
import { write } from "./write.ts";

/**
 * The embedded warehouse: one DuckDB file (`<data dir>/warehouse.duckdb`), opened by ONE
 * process (DuckDB locks the file; see ARCHITECTURE.md "Warehouse" for how workers share
 * it). Each query gets its own connection, so that a kill interrupts exactly its
 * statement and a write's transaction and temporary table are its own.
 */
export class DuckDbWarehouse implements Warehouse {
  readonly kind = "duckdb" as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly path: string,
  ) {}

  /** Fails with a `WarehouseFileHeld` naming the holder when another process has the file open (`isLockConflict`). */
  static async open(path: string): Promise<DuckDbWarehouse> {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    try {
      return new DuckDbWarehouse(await DuckDBInstance.create(path), path);
    } catch (error) {
      if (isLockConflict(error)) throw new WarehouseFileHeld(path, (error as Error).message);
      throw error;
    }
  }

  /** `translate: false` (the admin's local console, `dialect duckdb`): the SQL is DuckDB's already. */
  async query(request: QueryRequest, options: { readonly translate?: boolean } = {}): Promise<QueryResult> {
    const begun = performance.now();
    const { sql } = options.translate === false ? { sql: request.sql } : await translateBigQuery(request.sql, { resolveTable: duckDbTableName });
    request.log("DEBUG", `DuckDB SQL: ${sql.length > 2000 ? `${sql.slice(0, 2000)}…` : sql}`);
    return this.withConnection(request.signal, async (connection) => {
      const counts = request.destination ? await write(connection, sql, request.destination) : await select(connection, sql, request.maxRows);
      return { ...counts, durationMs: Math.round(performance.now() - begun) };
    });
  }

  async applyContract(contract: TableContractView, options: { readonly recreate: boolean }): Promise<void> {
    await this.withConnection(undefined, async (connection) => {
      await connection.run("BEGIN TRANSACTION");
      try {
        await applyContractOn(connection, contract, options.recreate);
        await connection.run("COMMIT");
      } catch (error) {
        await connection.run("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  async preview(table: TableId, limit: number): Promise<TablePreview> {
    return this.withConnection(undefined, async (connection) => {
      if (!(await tableExists(connection, table))) throw new WarehouseError(`the warehouse has no table ${tableLabel(table)} yet: register its contract or write to it first`);
      const reader = await connection.runAndReadAll(`SELECT * FROM ${duckDbTableName(table)} LIMIT ${Math.max(0, Math.floor(limit))}`);
      return { columns: columnsOf(reader), rows: reader.getRowObjectsJson() };
    });
  }

  /** A file into a table (load.ts): the embedded warehouse's own, BigQuery has `bq load`. */
  async load(request: LoadRequest): Promise<LoadResult> {
    return this.withConnection(undefined, (connection) => loadOn(connection, request));
  }

  async close(): Promise<void> {
    this.instance.closeSync();
  }

  private async withConnection<T>(signal: AbortSignal | undefined, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    const connection = await this.instance.connect();
    // A kill or timeout stops the running statement itself, not only our wait for it. An
    // interrupt reaching the connection between two statements (or before the first one
    // starts) is lost, so it is repeated until the work has settled.
    let repeat: NodeJS.Timeout | undefined;
    const interrupt = () => {
      connection.interrupt();
      repeat ??= setInterval(() => connection.interrupt(), 50);
    };
    signal?.addEventListener("abort", interrupt, { once: true });
    if (signal?.aborted) interrupt();
    try {
      return await work(connection);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw asWarehouseError(error);
    } finally {
      signal?.removeEventListener("abort", interrupt);
      clearInterval(repeat);
      connection.closeSync();
    }
  }
}

/**
 * Another process holds the DuckDB file (DuckDB refuses a second opener, even read-only).
 * The message names the file, the holder's PID as DuckDB reports it, and what to do.
 */
export class WarehouseFileHeld extends WarehouseError {
  readonly holderPid: number | undefined;
  constructor(readonly path: string, duckDbMessage: string) {
    const pid = /\(PID (\d+)\)/.exec(duckDbMessage)?.[1];
    super(
      `the warehouse file ${path} is locked by another process${pid ? ` (PID ${pid})` : ""}, which owns it: DuckDB lets one process open it at a time. ` +
        "Send warehouse work to that process (sql.query tasks are routed to it; `meshplane warehouse … --url` goes through its server), or stop it first",
    );
    this.name = "WarehouseFileHeld";
    this.holderPid = pid === undefined ? undefined : Number(pid);
  }
}

/** DuckDB's own message (or ours) when the file is held by another process. */
export function isLockConflict(error: unknown): boolean {
  return error instanceof WarehouseFileHeld || /Could not set lock on file|Conflicting lock/i.test((error as Error)?.message ?? "");
}

async function select(connection: DuckDBConnection, sql: string, maxRows: number): Promise<Omit<QueryResult, "durationMs">> {
  const result = await connection.stream(sql);
  const none = { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 };
  if (result.returnType === ResultReturnType.NOTHING) return none;
  if (result.returnType === ResultReturnType.CHANGED_ROWS) {
    // A DML statement without destinationTable (INSERT … SELECT written by hand): its count.
    const changed = (await new DuckDBResultReader(result).readAll().then(() => result.rowsChanged)) ?? 0;
    const kind = result.statementType;
    return {
      rowsInserted: kind === StatementType.INSERT ? changed : 0,
      rowsUpdated: kind === StatementType.UPDATE ? changed : 0,
      rowsDeleted: kind === StatementType.DELETE ? changed : 0,
    };
  }
  const reader = new DuckDBResultReader(result);
  await reader.readUntil(maxRows + 1);
  const rows = reader.getRowObjectsJson();
  const truncated = rows.length > maxRows || !reader.done;
  return { ...none, rows: truncated ? rows.slice(0, maxRows) : rows, rowsTruncated: truncated, columns: columnsOf(reader) };
}

function columnsOf(reader: DuckDBResultReader) {
  const types = reader.columnTypes();
  return reader.columnNames().map((name, i) => resultColumn(name, types[i]!));
}

function asWarehouseError(error: unknown): Error {
  if (error instanceof WarehouseError) return error;
  const message = (error as Error)?.message ?? String(error);
  // Two writers of one table at once: DuckDB's optimistic concurrency refuses one; trying again succeeds.
  const retryable = /Transaction conflict|Conflict on/i.test(message);
  return new WarehouseError(`DuckDB: ${message}`, retryable);
}
