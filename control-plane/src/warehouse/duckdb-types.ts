/**
 * A BigQuery column as a DuckDB column (ARCHITECTURE.md "Contracts are tables"): RECORD →
 * STRUCT, REPEATED → LIST, NUMERIC → DECIMAL(38,9) (BigQuery's precision and scale),
 * BIGNUMERIC → DECIMAL(38,9) too (DuckDB's widest decimal; values beyond 38 digits do not
 * fit, said in the note), DATETIME → TIMESTAMP (no zone) vs TIMESTAMP → TIMESTAMPTZ,
 * JSON → JSON, GEOGRAPHY → VARCHAR (WKT text; DuckDB has no geography without an extension).
 */
import type { BqField } from "../tables/bq-types.ts";

const SCALARS: Readonly<Record<string, string>> = {
  STRING: "VARCHAR",
  BYTES: "BLOB",
  INTEGER: "BIGINT",
  FLOAT: "DOUBLE",
  NUMERIC: "DECIMAL(38,9)",
  BIGNUMERIC: "DECIMAL(38,9)",
  BOOLEAN: "BOOLEAN",
  TIMESTAMP: "TIMESTAMPTZ",
  DATE: "DATE",
  TIME: "TIME",
  DATETIME: "TIMESTAMP",
  GEOGRAPHY: "VARCHAR",
  JSON: "JSON",
  INTERVAL: "INTERVAL",
};

/** `"name"` quoted for DuckDB. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DuckDB type of a field, its mode included (REPEATED → `T[]`). */
export function duckDbType(field: BqField): string {
  const base = elementType(field);
  return field.mode === "REPEATED" ? `${base}[]` : base;
}

function elementType(field: BqField): string {
  if (field.type === "RECORD") return `STRUCT(${(field.fields ?? []).map((f) => `${quoteIdent(f.name)} ${duckDbType(f)}`).join(", ")})`;
  if (field.type === "RANGE") return `STRUCT("start" ${SCALARS[field.rangeElementType?.type ?? "DATE"]}, "end" ${SCALARS[field.rangeElementType?.type ?? "DATE"]})`;
  if ((field.type === "NUMERIC" || field.type === "BIGNUMERIC") && field.precision) {
    const precision = Math.min(Number(field.precision), 38);
    return `DECIMAL(${precision},${Math.min(Number(field.scale ?? "0"), precision)})`;
  }
  const scalar = SCALARS[field.type];
  if (!scalar) throw new Error(`BigQuery type ${field.type} has no DuckDB counterpart here`);
  return scalar;
}

/** A column definition: REQUIRED becomes NOT NULL (only at the top level: DuckDB has no NOT NULL inside a STRUCT). */
export function columnDefinition(field: BqField): string {
  return `${quoteIdent(field.name)} ${duckDbType(field)}${field.mode === "REQUIRED" ? " NOT NULL" : ""}`;
}

/** DuckDB's spelling of a type as information_schema prints it, for comparing (no quotes, upper case, canonical names). */
export function normaliseDuckDbType(type: string): string {
  return type
    .replace(/"/g, "")
    .replace(/TIMESTAMP WITH TIME ZONE/g, "TIMESTAMPTZ")
    .replace(/\s+/g, " ")
    .toUpperCase();
}
