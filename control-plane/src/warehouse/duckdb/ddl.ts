import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
import { WarehouseError, type TableContractView, type TableId } from "../warehouse.ts";
import { duckDbTableName, quoteIdent, tableLabel } from "./names.ts";
import { duckDbColumnType } from "./types.ts";

export async function tableExists(connection: DuckDBConnection, table: TableId): Promise<boolean> {
  const reader = await connection.runAndReadAll("SELECT 1 FROM duckdb_tables() WHERE schema_name = $1 AND table_name = $2", [table.dataset, table.table]);
  return reader.currentRowCount > 0;
}

export async function ensureSchema(connection: DuckDBConnection, dataset: string): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(dataset)}`);
}

/** Column → the type DuckDB prints for it, its JSON alias included (JSON is VARCHAR underneath). */
const signature = (type: DuckDBType) => `${type.toString()}${type.alias ? `:${type.alias}` : ""}`;

/**
 * Makes the DuckDB table match its contract, in the caller's transaction: CREATE when
 * missing; for an existing table, ADD COLUMN for a new NULLABLE/REPEATED column and DROP
 * NOT NULL for REQUIRED → NULLABLE (BigQuery's compatible changes); anything else (a
 * column removed, retyped, tightened, or a new REQUIRED one) needs `recreate` (a major
 * version), which DROPs and CREATEs it empty. Types are compared as DuckDB prints them:
 * the contract's types are cast once (`CAST(NULL AS …)`) so both sides go through one printer.
 */
export async function applyContractOn(connection: DuckDBConnection, contract: TableContractView, recreate: boolean): Promise<void> {
  const table = { dataset: contract.dataset, table: contract.table };
  const name = duckDbTableName(table);
  const fields = contract.schema.fields;
  const ddlTypes = fields.map((f) => duckDbColumnType(f));
  const create = async () => {
    const columns = fields.map((f, i) => `${quoteIdent(f.name)} ${ddlTypes[i]}${f.mode === "REQUIRED" ? " NOT NULL" : ""}`);
    await connection.run(`CREATE TABLE ${name} (${columns.join(", ")})`);
  };
  await ensureSchema(connection, contract.dataset);
  if (!(await tableExists(connection, table))) return create();

  const wanted = await connection.runAndReadAll(`SELECT ${fields.map((f, i) => `CAST(NULL AS ${ddlTypes[i]}) AS ${quoteIdent(f.name)}`).join(", ")}`);
  const wantedTypes = wanted.columnTypes().map(signature);
  const existing = await connection.runAndReadAll(
    "SELECT column_name, is_nullable FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2 ORDER BY column_index",
    [contract.dataset, contract.table],
  );
  const current = await connection.runAndReadAll(`SELECT * FROM ${name} LIMIT 0`);
  const currentTypes = new Map(current.columnNames().map((n, i) => [n.toLowerCase(), signature(current.columnTypes()[i]!)]));
  const nullable = new Map(existing.getRowObjectsJson().map((r) => [String(r["column_name"]).toLowerCase(), r["is_nullable"] === true]));

  const changes: string[] = [];
  let breaking: string | undefined;
  const declared = new Set(fields.map((f) => f.name.toLowerCase()));
  for (const column of currentTypes.keys()) if (!declared.has(column)) breaking ??= `column ${column} was removed`;
  fields.forEach((f, i) => {
    const key = f.name.toLowerCase();
    const type = currentTypes.get(key);
    if (type === undefined) {
      if (f.mode === "REQUIRED") breaking ??= `REQUIRED column ${f.name} was added (existing rows have no value)`;
      else changes.push(`ALTER TABLE ${name} ADD COLUMN ${quoteIdent(f.name)} ${ddlTypes[i]}`);
    } else if (type !== wantedTypes[i]) {
      breaking ??= `column ${f.name} changes type from ${type} to ${wantedTypes[i]}`;
    } else if (f.mode !== "REQUIRED" && nullable.get(key) === false) {
      changes.push(`ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(f.name)} DROP NOT NULL`);
    } else if (f.mode === "REQUIRED" && nullable.get(key) === true) {
      breaking ??= `column ${f.name} becomes REQUIRED`;
    }
  });
  if (breaking) {
    if (!recreate) {
      throw new WarehouseError(`the local table ${tableLabel(table)} cannot follow contract ${contract.version} in place: ${breaking}; a breaking change needs a new major version (which recreates the table, dropping its rows)`);
    }
    await connection.run(`DROP TABLE ${name}`);
    return create();
  }
  for (const change of changes) await connection.run(change);
}
