/**
 * schema.json: what `bq show --format=prettyjson project:dataset.table` prints (a table
 * resource), or just its `schema` ({"fields": [...]}), or just the fields array.
 *
 * Checked here, with file:line:column: JSON syntax, where the columns are, each column's
 * name/type/mode, nested RECORD fields, duplicate columns, and that partitioning and
 * clustering name existing top-level columns. The control plane checks the contract in
 * full (type narrowing, versions) when the table is registered; this is the early,
 * positioned subset a data engineer needs at synth time.
 *
 * Columns are kept as written (every key `bq` printed, e.g. policyTags, maxLength), so
 * the Google target can pass them to google_bigquery_table unchanged.
 */
import { describeValue, ModuleError, positionOf } from "../errors.ts";
import { JsonSyntaxError, scanJson } from "./json-scan.ts";

export interface SchemaField {
  readonly name: string;
  readonly type: string;
  readonly mode?: "NULLABLE" | "REQUIRED" | "REPEATED";
  readonly description?: string;
  readonly fields?: SchemaField[];
  readonly [key: string]: unknown;
}

export interface TableSchema {
  /** Which of the three accepted shapes the file had. */
  readonly form: "table-resource" | "schema-object" | "fields-array";
  readonly fields: SchemaField[];
  /** The following come from a table resource only. */
  readonly description?: string;
  readonly labels?: Record<string, string>;
  readonly timePartitioning?: { readonly type: string; readonly field?: string; readonly expirationMs?: string; readonly requirePartitionFilter?: boolean };
  readonly rangePartitioning?: { readonly field: string; readonly range: { readonly start: string; readonly end: string; readonly interval: string } };
  readonly clustering?: { readonly fields: string[] };
  readonly requirePartitionFilter?: boolean;
}

const TYPES = new Set([
  "STRING", "BYTES", "INTEGER", "INT64", "FLOAT", "FLOAT64", "NUMERIC", "BIGNUMERIC", "BOOLEAN", "BOOL", "TIMESTAMP", "DATE",
  "TIME", "DATETIME", "GEOGRAPHY", "JSON", "INTERVAL", "RANGE", "RECORD", "STRUCT",
]);
const MODES = ["NULLABLE", "REQUIRED", "REPEATED"];
const EXPECTED_DOCUMENT = "the output of `bq show --format=prettyjson project:dataset.table`, its {\"fields\": [...]} or the fields array";

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseSchemaJson(file: string, text: string): TableSchema {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const bom = source.length === text.length ? 0 : 1;
  let scan;
  try {
    scan = scanJson(source);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new ModuleError({ file, ...positionOf(text, error.offset + bom), problem: `invalid JSON: ${error.problem}`, expected: EXPECTED_DOCUMENT });
  }
  const fail = (pointer: string, problem: string, received: unknown, expected: string): never => {
    throw new ModuleError({ file, ...positionOf(text, (scan.positions.get(pointer) ?? 0) + bom), problem, received: describeValue(received), expected });
  };

  const doc = scan.value;
  if (Array.isArray(doc)) return { form: "fields-array", fields: parseFields(doc, "", fail) };
  if (!isObject(doc)) return fail("", "schema.json is not a table, a schema or a fields array", doc, EXPECTED_DOCUMENT);
  if (doc["schema"] === undefined) {
    if (!Array.isArray(doc["fields"])) return fail("", 'no "fields" array and no "schema" object', Object.keys(doc), EXPECTED_DOCUMENT);
    return { form: "schema-object", fields: parseFields(doc["fields"], "/fields", fail) };
  }
  const schema = doc["schema"];
  if (!isObject(schema) || !Array.isArray(schema["fields"])) return fail("/schema", '"schema" has no "fields" array', schema, '"schema": {"fields": [...]}');
  const fields = parseFields(schema["fields"], "/schema/fields", fail);
  const topLevel = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const column = (pointer: string, name: unknown, what: string, types?: string[]) => {
    const field = typeof name === "string" ? topLevel.get(name.toLowerCase()) : undefined;
    if (!field) return fail(pointer, `${what} names no top-level column`, name, `one of ${[...topLevel.values()].map((f) => f.name).join(", ")}`);
    if (types && !types.includes(field.type)) return fail(pointer, `${what} column "${field.name}" has type ${field.type}`, field.type, `one of ${types.join(", ")}`);
    return field.name;
  };

  const result: { -readonly [K in keyof TableSchema]: TableSchema[K] } = { form: "table-resource", fields };
  if (typeof doc["description"] === "string") result.description = doc["description"];
  if (isObject(doc["labels"])) result.labels = doc["labels"] as Record<string, string>;
  if (typeof doc["requirePartitionFilter"] === "boolean") result.requirePartitionFilter = doc["requirePartitionFilter"];
  const tp = doc["timePartitioning"];
  if (tp !== undefined) {
    if (!isObject(tp) || !["DAY", "HOUR", "MONTH", "YEAR"].includes(tp["type"] as string)) {
      fail(isObject(tp) ? "/timePartitioning/type" : "/timePartitioning", "invalid timePartitioning type", isObject(tp) ? tp["type"] : tp, "DAY, HOUR, MONTH or YEAR");
    }
    const t = tp as Obj;
    if (t["field"] !== undefined) column("/timePartitioning/field", t["field"], "timePartitioning.field", ["DATE", "TIMESTAMP", "DATETIME"]);
    result.timePartitioning = t as TableSchema["timePartitioning"];
  }
  const rp = doc["rangePartitioning"];
  if (rp !== undefined) {
    const range = isObject(rp) ? rp["range"] : undefined;
    if (!isObject(rp) || !isObject(range) || !["start", "end", "interval"].every((k) => ["string", "number"].includes(typeof range[k]))) {
      fail("/rangePartitioning", "invalid rangePartitioning", rp, '{"field": …, "range": {"start": …, "end": …, "interval": …}}');
    }
    column("/rangePartitioning/field", (rp as Obj)["field"], "rangePartitioning.field", ["INTEGER", "INT64"]);
    result.rangePartitioning = rp as TableSchema["rangePartitioning"];
  }
  const cl = doc["clustering"];
  if (cl !== undefined) {
    const names = isObject(cl) ? cl["fields"] : undefined;
    if (!Array.isArray(names) || names.length === 0 || names.length > 4) fail("/clustering", "invalid clustering", cl, '{"fields": [1 to 4 top-level columns]}');
    (names as unknown[]).forEach((n, k) => column(`/clustering/fields/${k}`, n, "clustering field"));
    result.clustering = cl as TableSchema["clustering"];
  }
  return result;
}

function parseFields(list: unknown[], pointer: string, fail: (pointer: string, problem: string, received: unknown, expected: string) => never): SchemaField[] {
  if (list.length === 0) fail(pointer, "a table needs at least one column", list, "a non-empty fields array");
  const seen = new Map<string, string>();
  return list.map((raw, k) => {
    const at = `${pointer}/${k}`;
    if (!isObject(raw)) return fail(at, "a column must be an object", raw, '{"name": …, "type": …, "mode": …}');
    const name = raw["name"];
    if (typeof name !== "string" || name.length === 0 || name.length > 300) fail(raw["name"] === undefined ? at : `${at}/name`, "invalid column name", name, "a column name as a non-empty string");
    const other = seen.get((name as string).toLowerCase());
    if (other !== undefined) fail(`${at}/name`, `duplicate column "${name as string}" (BigQuery column names ignore case)`, name, `a name different from "${other}"`);
    seen.set((name as string).toLowerCase(), name as string);
    const type = raw["type"];
    if (typeof type !== "string" || !TYPES.has(type)) fail(raw["type"] === undefined ? at : `${at}/type`, `invalid type for column "${name as string}"`, type, `one of ${[...TYPES].join(", ")}`);
    if (raw["mode"] !== undefined && !MODES.includes(raw["mode"] as string)) fail(`${at}/mode`, `invalid mode for column "${name as string}"`, raw["mode"], MODES.join(", "));
    if (raw["description"] !== undefined && typeof raw["description"] !== "string") fail(`${at}/description`, "invalid description", raw["description"], "a string");
    const record = type === "RECORD" || type === "STRUCT";
    if (record && !Array.isArray(raw["fields"])) fail(at, `${type as string} column "${name as string}" has no "fields"`, raw["fields"], "a fields array");
    if (!record && raw["fields"] !== undefined) fail(`${at}/fields`, `column "${name as string}" of type ${type as string} cannot have fields`, type, "type RECORD for a column with fields");
    return record ? { ...(raw as unknown as SchemaField), fields: parseFields(raw["fields"] as unknown[], `${at}/fields`, fail) } : (raw as unknown as SchemaField);
  });
}
