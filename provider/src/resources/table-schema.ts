// A table's `bq show` JSON compared by meaning, offline: key order, whitespace, type
// aliases (INT64 = INTEGER), the default mode, int64s as numbers or strings, and
// whether the whole table resource, its `schema` or `schema.fields` was given are no
// change. It mirrors the API's normalisation (control-plane/src/tables/bq-schema.ts)
// for the common cases; what it misses, the API's check settles during plan.
import { canonicalJson } from "./flow-yaml.ts";

const TYPE_ALIASES: Record<string, string> = { INT64: "INTEGER", FLOAT64: "FLOAT", BOOL: "BOOLEAN", STRUCT: "RECORD", DECIMAL: "NUMERIC", BIGDECIMAL: "BIGNUMERIC" };
const INT64_KEYS = new Set(["maxLength", "precision", "scale", "expirationMs", "start", "end", "interval", "timestampPrecision"]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function normaliseValue(key: string, v: unknown): unknown {
  if (INT64_KEYS.has(key) && (typeof v === "number" || typeof v === "string")) return String(v);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, normaliseValue(k, x)]));
  return v;
}

function normaliseField(f: unknown): unknown {
  if (!isObject(f)) return f;
  const out: Json = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === null || v === undefined || v === "") continue;
    if (k === "type" && typeof v === "string") out.type = TYPE_ALIASES[v.toUpperCase()] ?? v.toUpperCase();
    else if (k === "mode" && typeof v === "string") out.mode = v.toUpperCase();
    else if (k === "fields" && Array.isArray(v)) {
      if (v.length > 0) out.fields = v.map(normaliseField);
    } else if (k === "policyTags" && isObject(v)) {
      const names = Array.isArray(v.names) ? [...new Set(v.names as string[])].sort() : [];
      if (names.length > 0) out.policyTags = { names };
    } else if (k === "dataPolicies" && Array.isArray(v)) {
      if (v.length > 0) out.dataPolicies = v;
    } else if (k === "roundingMode" && v === "ROUNDING_MODE_UNSPECIFIED") continue;
    else out[k] = normaliseValue(k, v);
  }
  out.mode ??= "NULLABLE";
  return out;
}

/** The contract part of a `bq show` document (or its schema, or its fields), normalised. */
export function normaliseTableSchema(doc: unknown): Json {
  if (Array.isArray(doc)) return { fields: doc.map(normaliseField) };
  if (!isObject(doc)) return { invalid: doc };
  const fields = isObject(doc.schema) ? doc.schema.fields : doc.fields;
  const out: Json = { fields: Array.isArray(fields) ? fields.map(normaliseField) : fields };
  let requireFilter = doc.requirePartitionFilter === true;
  if (isObject(doc.timePartitioning)) {
    const { requirePartitionFilter, ...tp } = doc.timePartitioning;
    if (requirePartitionFilter === true) requireFilter = true;
    const normal = normaliseValue("timePartitioning", tp) as Json;
    if (typeof normal.type === "string") normal.type = normal.type.toUpperCase();
    out.timePartitioning = normal;
  }
  if (isObject(doc.rangePartitioning)) out.rangePartitioning = normaliseValue("rangePartitioning", doc.rangePartitioning);
  if (isObject(doc.clustering)) out.clustering = doc.clustering;
  if (requireFilter) out.requirePartitionFilter = true;
  return out;
}

/** Semantic equality of two schema_json texts. */
export function tableSchemaEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return canonicalJson(normaliseTableSchema(JSON.parse(a as string))) === canonicalJson(normaliseTableSchema(JSON.parse(b as string)));
}
