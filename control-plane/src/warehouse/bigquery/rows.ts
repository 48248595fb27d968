import type { ResultColumn } from "../warehouse.ts";

/** A TableFieldSchema as the REST API answers it (mode may be absent = NULLABLE). */
export interface RestField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly fields?: readonly RestField[];
}

export function toColumns(fields: readonly RestField[] | undefined): ResultColumn[] {
  return (fields ?? []).map((f) => ({
    name: f.name,
    type: f.type,
    mode: (f.mode ?? "NULLABLE") as ResultColumn["mode"],
    ...(f.fields ? { fields: toColumns(f.fields) } : {}),
  }));
}

/**
 * Rows in BigQuery's `{f: [{v}]}` encoding as JSON values, as QueryResult promises: INT64
 * a number when it fits exactly in a double (else a string), NUMERIC/BIGNUMERIC strings
 * (no precision lost), TIMESTAMP an ISO string (asked as int64 microseconds), JSON parsed,
 * RECORD objects, REPEATED arrays. Done here rather than by the library, whose parsing
 * turns dates and integers into its own wrapper objects.
 */
export function decodeRows(fields: readonly RestField[], rows: readonly unknown[] | undefined): Record<string, unknown>[] {
  return (rows ?? []).map((row) => decodeRecord(fields, row));
}

function decodeRecord(fields: readonly RestField[], row: unknown): Record<string, unknown> {
  const cells = (row as { f: { v: unknown }[] }).f;
  const out: Record<string, unknown> = {};
  fields.forEach((field, i) => {
    out[field.name] = decodeCell(field, cells[i]?.v);
  });
  return out;
}

function decodeCell(field: RestField, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (field.mode === "REPEATED") {
    return (v as { v: unknown }[]).map((item) => decodeCell({ ...field, mode: "NULLABLE" }, item.v));
  }
  switch (field.type) {
    case "RECORD":
    case "STRUCT":
      return decodeRecord(field.fields ?? [], v);
    case "INTEGER":
    case "INT64": {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : String(v);
    }
    case "FLOAT":
    case "FLOAT64":
      return Number(v);
    case "BOOLEAN":
    case "BOOL":
      return v === "true";
    case "TIMESTAMP":
      return timestamp(String(v));
    case "JSON":
      return JSON.parse(String(v));
    default:
      return String(v);
  }
}

/** int64 microseconds since the epoch (formatOptions.useInt64Timestamp) or float seconds (older answers). */
function timestamp(v: string): string {
  if (/^-?\d+$/.test(v)) {
    const micros = BigInt(v);
    const millis = Number(micros / 1000n);
    const rest = Number(((micros % 1000n) + 1000n) % 1000n);
    const iso = new Date(millis - (micros < 0n && rest !== 0 ? 1 : 0)).toISOString();
    return rest === 0 ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, "0")}Z`;
  }
  return new Date(Number(v) * 1000).toISOString();
}
