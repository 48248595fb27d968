import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance, DuckDBResultReader, ResultReturnType, StatementType, type DuckDBConnection } from "@duckdb/node-api";
import { translateBigQuery } from "../translate/translate.ts";
import { dayPartitionOf, mergeIntoDecoratorProblem, partitionColumnOf } from "../partition.ts";
import { WarehouseError, type QueryDestination, type QueryRequest, type QueryResult, type TableContractView, type TableId, type TablePreview, type Warehouse } from "../warehouse.ts";
import { checkAgainstContract, requiredColumns } from "./contract-gate.ts";
import { applyContractOn, ensureSchema, tableExists } from "./ddl.ts";
import { loadOn, type LoadRequest, type LoadResult } from "./load.ts";
import { duckDbTableName, quoteIdent, tableLabel } from "./names.ts";
import { resultColumn } from "./types.ts";

/** The query's result, held for the checks before it is written (connection-local: dropped with the connection). */
const SOURCE = quoteIdent("__meshplane_source");

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

/**
 * One transaction: the result is materialised, checked (contract, REQUIRED, duplicate
 * keys), then written; any failure rolls everything back, so the table keeps its old
 * rows (WRITE_TRUNCATE is atomic) and nothing half-written is ever visible.
 */
async function write(connection: DuckDBConnection, sql: string, destination: QueryDestination): Promise<Omit<QueryResult, "durationMs">> {
  // `table$YYYYMMDD` (partition.ts): the write is confined to that day of the table.
  const partition = dayPartitionOf(destination.table);
  const table = partition?.table ?? destination.table;
  const target = duckDbTableName(table);
  const label = tableLabel(table);
  const day = partition && dayFilter(label, partition, destination);
  const source = singleStatement(sql, label);
  await connection.run("BEGIN TRANSACTION");
  try {
    await connection.run(`CREATE TEMP TABLE ${SOURCE} AS ${source}`);
    const columns = columnsOf(await connection.runAndReadAll(`SELECT * FROM ${SOURCE} LIMIT 0`));
    const { contract } = destination;
    if (contract) {
      checkAgainstContract(columns, contract);
      await checkRequired(connection, requiredColumns(contract), label);
    }
    if (day) await refuseOutsideDay(connection, day);
    if (!(await tableExists(connection, table))) {
      if (contract) await applyContractOn(connection, contract, false);
      else {
        // No contract, no gate: the table takes the result's shape, as BigQuery creates it.
        await ensureSchema(connection, table.dataset);
        await connection.run(`CREATE TABLE ${target} AS SELECT * FROM ${SOURCE} LIMIT 0`);
      }
    }
    const names = columns.map((c) => quoteIdent(c.name));
    let counts = { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 };
    if (destination.disposition === "MODE_DELTA") {
      counts = await merge(connection, target, columns.map((c) => c.name), destination.keys ?? contract?.keys ?? [], label);
    } else {
      // With a decorator, WRITE_TRUNCATE replaces that day's partition only (BigQuery's meaning).
      if (destination.disposition === "WRITE_TRUNCATE") counts.rowsDeleted = await changed(connection, `DELETE FROM ${target}${day ? ` WHERE ${day.predicate}` : ""}`);
      counts.rowsInserted = await changed(connection, `INSERT INTO ${target} (${names.join(", ")}) SELECT ${names.join(", ")} FROM ${SOURCE}`);
    }
    await connection.run(`DROP TABLE ${SOURCE}`);
    await connection.run("COMMIT");
    return counts;
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

interface DayFilter {
  /** True for a row of the day, on the partition column (false or NULL otherwise). */
  readonly predicate: string;
  readonly column: string;
  readonly what: string;
}

/** The day of a decorated destination as a predicate on the contract's partition column (a TIMESTAMP's day is UTC's, as BigQuery's). */
function dayFilter(label: string, partition: { day: string; decorator: string }, destination: QueryDestination): DayFilter {
  const refused = mergeIntoDecoratorProblem(`${label}${partition.decorator}`, destination.disposition);
  if (refused) throw new WarehouseError(refused);
  const column = partitionColumnOf(label, partition.decorator, destination.contract);
  const c = quoteIdent(column.name);
  const start = column.type === "DATE" ? "" : column.type === "TIMESTAMP" ? `TIMESTAMPTZ '${partition.day} 00:00:00+00'` : `TIMESTAMP '${partition.day} 00:00:00'`;
  const predicate = column.type === "DATE" ? `${c} = DATE '${partition.day}'` : `(${c} >= ${start} AND ${c} < ${start} + INTERVAL 1 DAY)`;
  return { predicate, column: column.name, what: `the partition ${partition.decorator} of ${label} (${column.name} on ${partition.day}${column.type === "TIMESTAMP" ? " UTC" : ""})` };
}

/** BigQuery refuses a row of another day (or a NULL day) written through a decorator; so do we, before anything is written. */
async function refuseOutsideDay(connection: DuckDBConnection, day: DayFilter): Promise<void> {
  const c = quoteIdent(day.column);
  const row = (await connection.runAndReadAll(`SELECT count(*) AS n, CAST(min(${c}) AS VARCHAR) AS first FROM ${SOURCE} WHERE NOT coalesce(${day.predicate}, false)`)).getRowObjectsJson()[0]!;
  const n = Number(row["n"]);
  if (n > 0) {
    throw new WarehouseError(
      `${n} row${n === 1 ? "" : "s"} of the result ha${n === 1 ? "s" : "ve"} ${day.column} outside ${day.what}${row["first"] === null ? " (NULL)" : `, e.g. ${day.column} = ${row["first"]}`}: nothing was written; filter the query on ${day.column}, or write to the table without the decorator`,
    );
  }
}

async function merge(connection: DuckDBConnection, target: string, columns: readonly string[], keys: readonly string[], label: string) {
  if (keys.length === 0) throw new WarehouseError(`MODE_DELTA into ${label} needs keys: give the task keys, or the table's contract`);
  const lower = new Set(columns.map((c) => c.toLowerCase()));
  const absent = keys.find((k) => !lower.has(k.toLowerCase()));
  if (absent) throw new WarehouseError(`MODE_DELTA into ${label} merges on ${keys.join(", ")}, but the result has no column ${absent}: select it`);
  const k = keys.map(quoteIdent);
  // BigQuery's MERGE fails when a target row matches two source rows; we refuse duplicates up front, naming one.
  const dup = await connection.runAndReadAll(`SELECT ${k.join(", ")}, count(*) AS n FROM ${SOURCE} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
  const first = dup.getRowObjectsJson()[0];
  if (first) {
    const value = keys.map((key) => `${key} = ${JSON.stringify(first[key])}`).join(", ");
    throw new WarehouseError(`MODE_DELTA into ${label}: the result has ${first["n"]} rows with ${value}; keys must be unique in the source (deduplicate it, e.g. QUALIFY ROW_NUMBER() OVER (PARTITION BY ${keys.join(", ")} ORDER BY …) = 1)`);
  }
  const keySet = new Set(keys.map((key) => key.toLowerCase()));
  const others = columns.filter((c) => !keySet.has(c.toLowerCase())).map(quoteIdent);
  const all = columns.map(quoteIdent);
  const text =
    `MERGE INTO ${target} AS t USING ${SOURCE} AS s ON ${k.map((c) => `t.${c} = s.${c}`).join(" AND ")}` +
    (others.length > 0 ? ` WHEN MATCHED THEN UPDATE SET ${others.map((c) => `${c} = s.${c}`).join(", ")}` : "") +
    ` WHEN NOT MATCHED THEN INSERT (${all.join(", ")}) VALUES (${all.map((c) => `s.${c}`).join(", ")}) RETURNING merge_action`;
  const result = await connection.stream(text);
  const counts = { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 };
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (const action of chunk.getColumnValues(0)) {
      if (action === "INSERT") counts.rowsInserted++;
      else if (action === "UPDATE") counts.rowsUpdated++;
      else if (action === "DELETE") counts.rowsDeleted++;
    }
  }
  return counts;
}

async function checkRequired(connection: DuckDBConnection, required: readonly string[], label: string): Promise<void> {
  if (required.length === 0) return;
  const q = required.map((c, i) => `count(*) FILTER (WHERE ${quoteIdent(c)} IS NULL) AS c${i}`).join(", ");
  const row = (await connection.runAndReadAll(`SELECT ${q} FROM ${SOURCE}`)).getRowObjectsJson()[0]!;
  required.forEach((c, i) => {
    const nulls = Number(row[`c${i}`]);
    if (nulls > 0) throw new WarehouseError(`column ${c} is REQUIRED in the contract of ${label}, but ${nulls} row${nulls === 1 ? "" : "s"} of the result have NULL there: nothing was written`);
  });
}

async function changed(connection: DuckDBConnection, sql: string): Promise<number> {
  const result = await connection.run(sql);
  return Number(result.rowsChanged);
}

/** A write takes one SELECT (as a BigQuery job with a destination table does): a trailing `;` is fine, a script is not. */
function singleStatement(sql: string, label: string): string {
  const trimmed = sql.trim().replace(/;\s*$/, "");
  // Only a cheap guard: DuckDB itself rejects anything that is not a query in CREATE TABLE … AS.
  if (/;\s*\S/.test(trimmed.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, ""))) {
    throw new WarehouseError(`a query writing to ${label} must be one SELECT; it has several statements: move the others to tasks of their own`);
  }
  return trimmed;
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
