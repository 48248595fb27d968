import { DuckDBTypeId, type DuckDBType } from "@duckdb/node-api";
import type { BqField } from "../../tables/bq-types.ts";
import { WarehouseError, type ResultColumn } from "../warehouse.ts";
import { quoteIdent } from "./names.ts";

/**
 * The two type mappings of the local warehouse (ARCHITECTURE.md, "Warehouse"), in BigQuery's
 * canonical (legacy) names, the ones contracts store (tables/bq-types.ts):
 *
 *   DuckDB result type                     → BigQuery          contract type → DuckDB column
 *   BOOLEAN                                → BOOLEAN           BOOLEAN       → BOOLEAN
 *   TINYINT…BIGINT, U*INT, HUGEINT         → INTEGER (INT64)   INTEGER       → BIGINT
 *   FLOAT, DOUBLE                          → FLOAT             FLOAT         → DOUBLE
 *   DECIMAL(w,s), s ≤ 9 and w-s ≤ 29       → NUMERIC           NUMERIC       → DECIMAL(38,9) (or its precision, scale)
 *   other DECIMAL                          → BIGNUMERIC        BIGNUMERIC    → DECIMAL(38,18): DuckDB's widest;
 *                                                                              BigQuery's 76 digits do not fit (overflow fails)
 *   VARCHAR, UUID, ENUM                    → STRING            STRING        → VARCHAR
 *   JSON (VARCHAR alias)                   → JSON              JSON          → JSON
 *   BLOB                                   → BYTES             BYTES         → BLOB
 *   DATE / TIME                            → DATE / TIME       DATE / TIME   → DATE / TIME
 *   TIMESTAMP (_S, _MS, _NS)               → DATETIME          DATETIME      → TIMESTAMP
 *   TIMESTAMP WITH TIME ZONE               → TIMESTAMP         TIMESTAMP     → TIMESTAMPTZ
 *   INTERVAL                               → INTERVAL          INTERVAL      → INTERVAL
 *   STRUCT                                 → RECORD            RECORD        → STRUCT(…)
 *   LIST, ARRAY of T                       → T, REPEATED       REPEATED T    → T[]
 *                                                              GEOGRAPHY     → VARCHAR (WKT text: no spatial functions locally)
 *                                                              RANGE<T>      → STRUCT("start" T, "end" T)
 *   MAP, UNION, BIT, TIME WITH TIME ZONE…  → no BigQuery type: the gate refuses a write of them
 */
export function resultColumn(name: string, type: DuckDBType): ResultColumn {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const inner = resultColumn(name, type.valueType);
    // BigQuery has no array of arrays: an inner list stays visible as unsupported.
    if (inner.mode === "REPEATED") return { name, type: `UNSUPPORTED ${type.toString()}`, mode: "NULLABLE" };
    return { ...inner, mode: "REPEATED" };
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    return { name, type: "RECORD", mode: "NULLABLE", fields: type.entryNames.map((n, i) => resultColumn(n, type.entryTypes[i]!)) };
  }
  return { name, type: scalarType(type), mode: "NULLABLE" };
}

function scalarType(type: DuckDBType): string {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return "BOOLEAN";
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.INTEGER_LITERAL:
      return "INTEGER";
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return "FLOAT";
    case DuckDBTypeId.DECIMAL:
      return type.scale <= 9 && type.width - type.scale <= 29 ? "NUMERIC" : "BIGNUMERIC";
    case DuckDBTypeId.VARCHAR:
      return type.alias === "JSON" ? "JSON" : "STRING";
    case DuckDBTypeId.STRING_LITERAL:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return "STRING";
    case DuckDBTypeId.BLOB:
      return "BYTES";
    case DuckDBTypeId.DATE:
      return "DATE";
    case DuckDBTypeId.TIME:
      return "TIME";
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return "DATETIME";
    case DuckDBTypeId.TIMESTAMP_TZ:
      return "TIMESTAMP";
    case DuckDBTypeId.INTERVAL:
      return "INTERVAL";
    case DuckDBTypeId.SQLNULL:
      // `SELECT NULL AS x`: fits any column.
      return "NULL";
    default:
      return `UNSUPPORTED ${type.toString()}`;
  }
}

/** The DuckDB column type a contract field becomes (the table above, right side). */
export function duckDbColumnType(field: BqField, where = field.name): string {
  const base = duckDbBaseType(field, where);
  return field.mode === "REPEATED" ? `${base}[]` : base;
}

function duckDbBaseType(field: BqField, where: string): string {
  switch (field.type) {
    case "STRING":
      return "VARCHAR";
    case "BYTES":
      return "BLOB";
    case "INTEGER":
      return "BIGINT";
    case "FLOAT":
      return "DOUBLE";
    case "NUMERIC": {
      const precision = field.precision === undefined ? 38 : Number(field.precision);
      const scale = field.scale === undefined ? (field.precision === undefined ? 9 : 0) : Number(field.scale);
      return `DECIMAL(${Math.min(precision, 38)},${scale})`;
    }
    case "BIGNUMERIC":
      return field.precision !== undefined && Number(field.precision) <= 38
        ? `DECIMAL(${field.precision},${field.scale ?? 0})`
        : "DECIMAL(38,18)";
    case "BOOLEAN":
      return "BOOLEAN";
    case "TIMESTAMP":
      return "TIMESTAMPTZ";
    case "DATE":
      return "DATE";
    case "TIME":
      return "TIME";
    case "DATETIME":
      return "TIMESTAMP";
    case "GEOGRAPHY":
      return "VARCHAR";
    case "JSON":
      return "JSON";
    case "INTERVAL":
      return "INTERVAL";
    case "RANGE": {
      const element = field.rangeElementType?.type ?? "DATE";
      const t = duckDbBaseType({ name: where, type: element, mode: "NULLABLE" }, where);
      return `STRUCT("start" ${t}, "end" ${t})`;
    }
    case "RECORD": {
      if (!field.fields?.length) throw new WarehouseError(`column ${where} is a RECORD without fields: give it fields in the contract`);
      return `STRUCT(${field.fields.map((f) => `${quoteIdent(f.name)} ${duckDbColumnType(f, `${where}.${f.name}`)}`).join(", ")})`;
    }
  }
}

/** What DuckDB answers for a column made from this contract field (GEOGRAPHY is text locally, RANGE a struct). */
export function localType(field: BqField): string {
  if (field.type === "GEOGRAPHY") return "STRING";
  if (field.type === "RANGE") return "RECORD";
  return field.type;
}
