/**
 * STOPGAP, until branch wh-duckdb's `DuckDbWarehouse` is merged: the part of an embedded
 * DuckDB warehouse that contracts, previews and landing loads need (applyContract,
 * preview, load, a console query). One DuckDB schema per dataset (`dataset.table`; the
 * project is not part of the local name). Once DuckDbWarehouse exists, it replaces this
 * file: `load` is the one method it must add (`LocalWarehouse`).
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { TableSchema } from "../tables/bq-types.ts";
import { columnDefinition, duckDbType, normaliseDuckDbType, quoteIdent } from "./duckdb-types.ts";
import { WarehouseError, type QueryRequest, type QueryResult, type ResultColumn, type TableContractView, type TableId, type TablePreview, type Warehouse } from "./warehouse.ts";

export type LoadFormat = "csv" | "ndjson" | "parquet";

export interface LoadRequest {
  readonly table: TableId;
  /** A file this process can read. */
  readonly path: string;
  readonly format: LoadFormat;
  /** Replace the table's rows (the table is kept); default: append. */
  readonly replace: boolean;
  /** The table's contract when it has one: the file is checked against it, and no `_PARTITIONTIME` is added. */
  readonly contract?: TableContractView;
  /** The load time; `_PARTITIONTIME` is it truncated to the hour. */
  readonly now: Date;
}

/** A warehouse files can be loaded into: the local (DuckDB) one. */
export interface LocalWarehouse extends Warehouse {
  load(request: LoadRequest): Promise<{ rowsLoaded: number; created: boolean }>;
}

export function isLocalWarehouse(warehouse: Warehouse): warehouse is LocalWarehouse {
  return typeof (warehouse as Partial<LocalWarehouse>).load === "function";
}

const READERS: Readonly<Record<LoadFormat, (path: string) => string>> = {
  csv: (p) => `read_csv(${literal(p)}, header = true, auto_detect = true)`,
  ndjson: (p) => `read_json(${literal(p)}, format = 'newline_delimited')`,
  parquet: (p) => `read_parquet(${literal(p)})`,
};

export class LocalDuckDbWarehouse implements LocalWarehouse {
  readonly kind = "duckdb" as const;
  /** One statement sequence at a time: DDL and loads must not interleave on the file. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens (or creates) the file; fails when another process holds it. */
  static async open(path: string): Promise<LocalDuckDbWarehouse> {
    const instance = await DuckDBInstance.create(path);
    return new LocalDuckDbWarehouse(instance, await instance.connect());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async query(request: QueryRequest): Promise<QueryResult> {
    if (request.destination) throw new WarehouseError("this build's local warehouse runs queries without a destination only (the sql.query adapter is on branch wh-duckdb)");
    return this.serial(async () => {
      const started = Date.now();
      const reader = await this.connection.runAndReadAll(backticksToQuotes(request.sql)).catch(duckError);
      const all = reader.getRowObjectsJson() as Record<string, unknown>[];
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, i) => resultColumn(name, String(types[i])));
      return {
        rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0,
        rows: all.slice(0, request.maxRows),
        rowsTruncated: all.length > request.maxRows,
        columns,
        durationMs: Date.now() - started,
      };
    });
  }

  applyContract(contract: TableContractView, options: { readonly recreate: boolean }): Promise<void> {
    return this.serial(async () => {
      const name = tableName(contract);
      await this.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(contract.dataset)}`);
      const existing = await this.columnsOf(contract);
      if (!existing || options.recreate) {
        await this.run(`CREATE OR REPLACE TABLE ${name} (${contract.schema.fields.map(columnDefinition).join(", ")})`);
        return;
      }
      // A compatible change: columns added, REQUIRED relaxed, types widened (compatibility.ts); nothing dropped.
      const statements: string[] = [];
      for (const field of contract.schema.fields) {
        const current = existing.get(field.name);
        if (!current) {
          statements.push(`ALTER TABLE ${name} ADD COLUMN ${quoteIdent(field.name)} ${duckDbType(field)}`);
          continue;
        }
        if (normaliseDuckDbType(current.type) !== normaliseDuckDbType(duckDbType(field))) {
          statements.push(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(field.name)} SET DATA TYPE ${duckDbType(field)}`);
        }
        if (current.notNull && field.mode !== "REQUIRED") statements.push(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(field.name)} DROP NOT NULL`);
      }
      if (statements.length === 0) return;
      await this.run("BEGIN TRANSACTION");
      try {
        for (const statement of statements) await this.run(statement);
        await this.run("COMMIT");
      } catch (error) {
        await this.run("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  preview(table: TableId, limit: number): Promise<TablePreview> {
    return this.serial(async () => {
      if (!(await this.columnsOf(table))) throw new WarehouseError(`table ${table.dataset}.${table.table} does not exist in the local warehouse`);
      const reader = await this.connection.runAndReadAll(`SELECT * FROM ${tableName(table)} LIMIT ${Math.trunc(limit)}`).catch(duckError);
      const types = reader.columnTypes();
      return {
        columns: reader.columnNames().map((name, i) => resultColumn(name, String(types[i]))),
        rows: reader.getRowObjectsJson() as Record<string, unknown>[],
      };
    });
  }

  load(request: LoadRequest): Promise<{ rowsLoaded: number; created: boolean }> {
    return this.serial(async () => {
      const source = READERS[request.format](request.path);
      const described = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`).catch(duckError);
      const fileColumns = (described.getRowObjectsJson() as { column_name: string }[]).map((r) => r.column_name);
      if (request.contract) checkAgainstContract(fileColumns, request.contract.schema, request.table);
      const name = tableName(request.table);
      // BigQuery's ingestion-time pseudo-column: the load time truncated to the hour (as an HOUR-partitioned load).
      const partitionTime = request.contract ? "" : `, date_trunc('hour', TIMESTAMPTZ ${literal(request.now.toISOString())}) AS "_PARTITIONTIME"`;
      const select = `SELECT *${partitionTime} FROM ${source}`;
      await this.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(request.table.dataset)}`);
      const exists = (await this.columnsOf(request.table)) !== null;
      if (!exists) {
        await this.run(`CREATE TABLE ${name} AS ${select}`);
      } else {
        await this.run("BEGIN TRANSACTION");
        try {
          if (request.replace) await this.run(`DELETE FROM ${name}`);
          await this.run(`INSERT INTO ${name} BY NAME ${select}`);
          await this.run("COMMIT");
        } catch (error) {
          await this.run("ROLLBACK").catch(() => undefined);
          throw error;
        }
      }
      const count = await this.connection.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${source}`).catch(duckError);
      return { rowsLoaded: Number((count.getRowObjectsJson()[0] as { n: string }).n), created: !exists };
    });
  }

  async close(): Promise<void> {
    await this.queue;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async run(sql: string): Promise<void> {
    await this.connection.run(sql).catch(duckError);
  }

  private async columnsOf(table: TableId): Promise<Map<string, { type: string; notNull: boolean }> | null> {
    const reader = await this.connection
      .runAndReadAll(`SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = ${literal(table.dataset)} AND table_name = ${literal(table.table)} ORDER BY ordinal_position`)
      .catch(duckError);
    const rows = reader.getRowObjectsJson() as { column_name: string; data_type: string; is_nullable: string }[];
    if (rows.length === 0) return null;
    return new Map(rows.map((r) => [r.column_name, { type: r.data_type, notNull: r.is_nullable === "NO" }]));
  }
}

/** A file loaded into a contract's table: every column is the contract's, every REQUIRED one is there. */
function checkAgainstContract(fileColumns: readonly string[], schema: TableSchema, table: TableId): void {
  const known = new Set(schema.fields.map((f) => f.name));
  const extra = fileColumns.find((c) => !known.has(c));
  if (extra !== undefined) {
    throw new WarehouseError(`column ${extra} of the file is not in the contract of ${table.dataset}.${table.table} (its columns: ${[...known].join(", ")}); remove it from the file or add it to the contract`);
  }
  const present = new Set(fileColumns);
  const missing = schema.fields.find((f) => f.mode === "REQUIRED" && !present.has(f.name));
  if (missing) throw new WarehouseError(`column ${missing.name} is REQUIRED by the contract of ${table.dataset}.${table.table} but missing from the file`);
}

function tableName(table: TableId): string {
  return `${quoteIdent(table.dataset)}.${quoteIdent(table.table)}`;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * `project.dataset.table` in backticks → `"dataset"."table"` (the project is not part of
 * the local name). Only what the console needs until the translator (branch
 * wh-translate) is merged; strings and comments are not told apart here.
 */
function backticksToQuotes(sql: string): string {
  return sql.replace(/`([^`]+)`/g, (_, path: string) => {
    const parts = path.split(".");
    return (parts.length === 3 ? parts.slice(1) : parts).map(quoteIdent).join(".");
  });
}

function duckError(error: unknown): never {
  throw new WarehouseError(`DuckDB: ${(error as Error).message}`);
}

const BQ_OF_DUCK: Readonly<Record<string, string>> = {
  VARCHAR: "STRING", BLOB: "BYTES", BIGINT: "INT64", INTEGER: "INT64", SMALLINT: "INT64", TINYINT: "INT64", HUGEINT: "INT64", UBIGINT: "INT64", UINTEGER: "INT64",
  DOUBLE: "FLOAT64", FLOAT: "FLOAT64", BOOLEAN: "BOOL", "TIMESTAMP WITH TIME ZONE": "TIMESTAMP", TIMESTAMPTZ: "TIMESTAMP", TIMESTAMP: "DATETIME",
  DATE: "DATE", TIME: "TIME", JSON: "JSON", INTERVAL: "INTERVAL",
};

/** A DuckDB result column as BigQuery names its type (nested fields are not spelled out here). */
function resultColumn(name: string, duckType: string): ResultColumn {
  if (duckType.endsWith("[]")) return { ...resultColumn(name, duckType.slice(0, -2)), mode: "REPEATED" };
  if (duckType.startsWith("STRUCT")) return { name, type: "RECORD", mode: "NULLABLE" };
  if (duckType.startsWith("DECIMAL")) return { name, type: "NUMERIC", mode: "NULLABLE" };
  return { name, type: BQ_OF_DUCK[duckType] ?? duckType, mode: "NULLABLE" };
}
