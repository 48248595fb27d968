/**
 * A file loaded into a table of the embedded warehouse (landing data, `meshplane warehouse
 * load`): CSV, NDJSON or Parquet, appended or replacing the rows. BigQuery has `bq load`
 * for this; only the DuckDB warehouse has `load`.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { WarehouseError, type TableContractView, type TableId } from "../warehouse.ts";
import { ensureSchema, tableExists } from "./ddl.ts";
import { duckDbTableName, tableLabel } from "./names.ts";

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

export interface LoadResult {
  readonly rowsLoaded: number;
  /** The table did not exist: it was created with the file's columns. */
  readonly created: boolean;
}

const READERS: Readonly<Record<LoadFormat, (path: string) => string>> = {
  csv: (p) => `read_csv(${literal(p)}, header = true, auto_detect = true)`,
  ndjson: (p) => `read_json(${literal(p)}, format = 'newline_delimited')`,
  parquet: (p) => `read_parquet(${literal(p)})`,
};

/** In the caller's connection; one transaction, so a failed load leaves the table as it was. */
export async function loadOn(connection: DuckDBConnection, request: LoadRequest): Promise<LoadResult> {
  const source = READERS[request.format](request.path);
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const fileColumns = described.getRowObjectsJson().map((r) => String(r["column_name"]));
  if (request.contract) checkAgainstContract(fileColumns, request.contract, request.table);
  const name = duckDbTableName(request.table);
  // BigQuery's ingestion-time pseudo-column of a landing table: the load time truncated to the hour (as an HOUR-partitioned load).
  const partitionTime = request.contract ? "" : `, date_trunc('hour', TIMESTAMPTZ ${literal(request.now.toISOString())}) AS "_PARTITIONTIME"`;
  const select = `SELECT *${partitionTime} FROM ${source}`;
  await connection.run("BEGIN TRANSACTION");
  try {
    await ensureSchema(connection, request.table.dataset);
    const exists = await tableExists(connection, request.table);
    let rowsLoaded: number;
    if (!exists) {
      await connection.run(`CREATE TABLE ${name} AS ${select}`);
      rowsLoaded = Number((await connection.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${name}`)).getRowObjectsJson()[0]!["n"]);
    } else {
      if (request.replace) await connection.run(`DELETE FROM ${name}`);
      rowsLoaded = Number((await connection.run(`INSERT INTO ${name} BY NAME ${select}`)).rowsChanged);
    }
    await connection.run("COMMIT");
    return { rowsLoaded, created: !exists };
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** A file loaded into a contract's table: every column is the contract's, every REQUIRED one is there. */
function checkAgainstContract(fileColumns: readonly string[], contract: TableContractView, table: TableId): void {
  const known = new Set(contract.schema.fields.map((f) => f.name));
  const extra = fileColumns.find((c) => !known.has(c));
  if (extra !== undefined) {
    throw new WarehouseError(`column ${extra} of the file is not in the contract of ${tableLabel(table)} (its columns: ${[...known].join(", ")}); remove it from the file or add it to the contract`);
  }
  const present = new Set(fileColumns);
  const missing = contract.schema.fields.find((f) => f.mode === "REQUIRED" && !present.has(f.name));
  if (missing) throw new WarehouseError(`column ${missing.name} is REQUIRED by the contract of ${tableLabel(table)} but missing from the file`);
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
