import type { BqField } from "../../tables/bq-types.ts";
import { WarehouseError, type ResultColumn, type TableContractView } from "../warehouse.ts";
import { localType } from "./types.ts";

/**
 * Safe widenings a result may use for a contract column (BigQuery coerces these when a
 * query writes to a table, and DuckDB casts them on insert): an integer into NUMERIC,
 * BIGNUMERIC or FLOAT; a decimal into the other decimal type or FLOAT. NUMERIC and
 * BIGNUMERIC are one family locally (both DECIMAL): DuckDB's SUM of a DECIMAL(10,2) is
 * a DECIMAL(38,2), which is BIGNUMERIC by its digits but fits a NUMERIC column; a value
 * that does not fit fails the insert, it is never cut silently. `NULL` (an untyped
 * `SELECT NULL AS x`) fits anything.
 */
const WIDENINGS: Readonly<Record<string, readonly string[]>> = {
  INTEGER: ["NUMERIC", "BIGNUMERIC", "FLOAT"],
  NUMERIC: ["BIGNUMERIC", "FLOAT"],
  BIGNUMERIC: ["NUMERIC", "FLOAT"],
};

/** The columns of a result checked against a contract: the first mismatch fails the write, naming the column. */
export function checkAgainstContract(columns: readonly ResultColumn[], contract: TableContractView): void {
  const label = `${contract.dataset}.${contract.table} (contract ${contract.version})`;
  checkFields(columns, contract.schema.fields, "", label);
}

function checkFields(columns: readonly ResultColumn[], fields: readonly BqField[], prefix: string, label: string): void {
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  for (const field of fields) {
    const path = `${prefix}${field.name}`;
    const column = byName.get(field.name.toLowerCase());
    if (!column) {
      throw new WarehouseError(`the result has no column ${path}, which the contract of ${label} declares (${field.mode} ${field.type}): select it (NULL AS ${field.name} if it has no value)`);
    }
    byName.delete(field.name.toLowerCase());
    const expected = localType(field);
    if (column.type.startsWith("UNSUPPORTED ")) {
      throw new WarehouseError(`column ${path} of the result is a DuckDB ${column.type.slice(12)}, which has no BigQuery type; the contract of ${label} wants ${field.type}: cast it`);
    }
    if ((field.mode === "REPEATED") !== (column.mode === "REPEATED") && column.type !== "NULL") {
      throw new WarehouseError(`column ${path} of the result is ${column.mode === "REPEATED" ? "an array" : "not an array"}, but the contract of ${label} declares it ${field.mode}`);
    }
    if (column.type !== expected && column.type !== "NULL" && !WIDENINGS[column.type]?.includes(expected)) {
      throw new WarehouseError(`column ${path} of the result is ${column.type}, but the contract of ${label} declares ${field.type}: cast it (CAST(${field.name} AS ${standardName(field.type)}))`);
    }
    if (expected === "RECORD" && field.type === "RECORD" && column.fields) checkFields(column.fields, field.fields ?? [], `${path}.`, label);
  }
  const extra = [...byName.values()][0];
  if (extra) {
    throw new WarehouseError(`the result has a column ${prefix}${extra.name} that the contract of ${label} does not declare: drop it from the SELECT, or add it to the contract`);
  }
}

/** The GoogleSQL spelling, for the hint in the message (the contract stores the legacy one). */
function standardName(type: string): string {
  return ({ INTEGER: "INT64", FLOAT: "FLOAT64", BOOLEAN: "BOOL", RECORD: "STRUCT" } as Record<string, string>)[type] ?? type;
}

/** Top-level REQUIRED columns: the ones a NULL must not reach (DuckDB cannot mark struct members NOT NULL). */
export function requiredColumns(contract: TableContractView): string[] {
  return contract.schema.fields.filter((f) => f.mode === "REQUIRED").map((f) => f.name);
}
