/**
 * The normalised shape of a BigQuery table schema as Meshplane stores and answers it:
 * the JSON of BigQuery's REST resources (TableFieldSchema, TimePartitioning,
 * RangePartitioning, Clustering), with aliases resolved and defaults made explicit so
 * that two schemas meaning the same thing are equal field by field.
 *
 * int64 values (maxLength, precision, scale, expirationMs, range bounds) are strings,
 * as the REST API and `bq show --format=prettyjson` print them.
 */

/** Canonical type names: the legacy names `bq show` prints. */
export const BQ_TYPES = [
  "STRING",
  "BYTES",
  "INTEGER",
  "FLOAT",
  "NUMERIC",
  "BIGNUMERIC",
  "BOOLEAN",
  "TIMESTAMP",
  "DATE",
  "TIME",
  "DATETIME",
  "GEOGRAPHY",
  "JSON",
  "RECORD",
  "RANGE",
  "INTERVAL",
] as const;
export type BqType = (typeof BQ_TYPES)[number];

/** Standard-SQL spellings accepted on input, stored as the canonical name. */
export const BQ_TYPE_ALIASES: Readonly<Record<string, BqType>> = {
  INT64: "INTEGER",
  FLOAT64: "FLOAT",
  BOOL: "BOOLEAN",
  STRUCT: "RECORD",
  DECIMAL: "NUMERIC",
  BIGDECIMAL: "BIGNUMERIC",
};

export const BQ_MODES = ["NULLABLE", "REQUIRED", "REPEATED"] as const;
export type BqMode = (typeof BQ_MODES)[number];

export const ROUNDING_MODES = ["ROUND_HALF_AWAY_FROM_ZERO", "ROUND_HALF_EVEN"] as const;
export const RANGE_ELEMENT_TYPES = ["DATE", "DATETIME", "TIMESTAMP"] as const;
export const TIME_PARTITION_TYPES = ["DAY", "HOUR", "MONTH", "YEAR"] as const;

export interface BqField {
  name: string;
  type: BqType;
  /** Always present after normalisation (BigQuery's default is NULLABLE). */
  mode: BqMode;
  description?: string;
  /** Only for RECORD, never empty. */
  fields?: BqField[];
  /** Sorted, without duplicates; omitted when empty. */
  policyTags?: { names: string[] };
  dataPolicies?: unknown[];
  maxLength?: string;
  precision?: string;
  scale?: string;
  roundingMode?: (typeof ROUNDING_MODES)[number];
  collation?: string;
  defaultValueExpression?: string;
  rangeElementType?: { type: (typeof RANGE_ELEMENT_TYPES)[number] };
  foreignTypeDefinition?: string;
  timestampPrecision?: string;
}

export interface BqTimePartitioning {
  type: (typeof TIME_PARTITION_TYPES)[number];
  /** Omitted = partitioned by ingestion time (_PARTITIONTIME). */
  field?: string;
  expirationMs?: string;
}

export interface BqRangePartitioning {
  field: string;
  range: { start: string; end: string; interval: string };
}

export interface TableSchema {
  fields: BqField[];
  timePartitioning?: BqTimePartitioning;
  rangePartitioning?: BqRangePartitioning;
  clustering?: { fields: string[] };
  /** Table-level option (also accepted inside timePartitioning, where it is deprecated). Only kept when true. */
  requirePartitionFilter?: true;
}

/** What parsing a `bq show` document yields besides the schema. */
export interface ParsedTableDocument {
  schema: TableSchema;
  /** The table resource's own description, if the document was a whole table. */
  description?: string;
  /** tableConstraints.primaryKey.columns, if the document declares a primary key. */
  primaryKey?: string[];
}
