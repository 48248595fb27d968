import type { FieldProblem } from "../errors.ts";
import { inputTextProblems } from "../input-text.ts";
import { parseFields, type Problems } from "./bq-fields.ts";
import type { BqField, BqRangePartitioning, BqTimePartitioning, ParsedTableDocument, TableSchema } from "./bq-types.ts";
import { TIME_PARTITION_TYPES } from "./bq-types.ts";
import { closeMatch, int64, isObject, pointerOf } from "./json-util.ts";

/**
 * Parses a table schema as `bq show --format=prettyjson project:dataset.table` prints
 * it, or just its `schema` (`{fields}`), or just `schema.fields` (an array), into the
 * normalised TableSchema (see bq-types.ts). Every problem is reported, each with the
 * JSON pointer of the offending value (prefixed by `base`, e.g. "/schema").
 *
 * The other properties of a table resource (tableReference, labels, numRows, etag, …)
 * are ignored: they are facts about one copy of the table, not its contract. A
 * top-level key that looks like a misspelt contract key is refused, so a typo such as
 * `timePartioning` cannot silently drop the partitioning from the contract.
 */
export type ParseResult = { ok: true; value: ParsedTableDocument } | { ok: false; problems: FieldProblem[] };

const EXPECTED_DOCUMENT =
  "must be the JSON of `bq show --format=prettyjson` (a table resource), its `schema` object ({\"fields\": [...]}) or its `schema.fields` array";

/** Keys of a table resource that make up the contract: misspellings of these are refused. */
const CONTRACT_KEYS = ["schema", "fields", "timePartitioning", "rangePartitioning", "clustering", "requirePartitionFilter", "tableConstraints", "description"];

export function parseTableDocument(input: unknown, base = ""): ParseResult {
  const problems: Problems = [];
  let doc = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch (error) {
      return { ok: false, problems: [{ pointer: base, message: `is not valid JSON (${(error as Error).message}); ${EXPECTED_DOCUMENT}` }] };
    }
    // The router checked the string; its escapes ("\u0000") only appear now.
    const textProblems = inputTextProblems(doc);
    if (textProblems.length > 0) return { ok: false, problems: textProblems.map((p) => ({ pointer: base + p.pointer, message: p.message })) };
  }
  const parsed = Array.isArray(doc) ? parseFieldsOnly(doc, base, problems) : isObject(doc) ? parseTable(doc, base, problems) : null;
  if (!parsed) return { ok: false, problems: [{ pointer: base, message: EXPECTED_DOCUMENT }] };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: parsed };
}

function parseFieldsOnly(doc: unknown[], base: string, problems: Problems): ParsedTableDocument {
  return { schema: { fields: parseFields(doc, base, 1, problems) } };
}

function parseTable(doc: Record<string, unknown>, base: string, problems: Problems): ParsedTableDocument {
  for (const key of Object.keys(doc)) {
    if (CONTRACT_KEYS.includes(key)) continue;
    const suggestion = closeMatch(key, CONTRACT_KEYS);
    if (suggestion) problems.push({ pointer: pointerOf(base, key), message: `unknown property; did you mean \`${suggestion}\`?` });
  }
  let fields: BqField[] = [];
  if (doc["schema"] !== undefined) {
    const schema = doc["schema"];
    if (doc["fields"] !== undefined) problems.push({ pointer: pointerOf(base, "fields"), message: "give the columns once: `schema.fields` (a whole table) or `fields`, not both" });
    if (!isObject(schema)) {
      problems.push({ pointer: pointerOf(base, "schema"), message: "must be an object {\"fields\": [...]}, as in a `bq show` table" });
    } else {
      for (const key of Object.keys(schema)) {
        if (key !== "fields" && key !== "foreignTypeInfo") problems.push({ pointer: pointerOf(base, "schema", key), message: "unknown property; a table schema has `fields`" });
      }
      fields = requiredFields(schema["fields"], pointerOf(base, "schema", "fields"), problems);
    }
  } else {
    fields = requiredFields(doc["fields"], pointerOf(base, "fields"), problems);
  }

  const schema: TableSchema = { fields };
  const columns = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  let requireFilter = optionalBoolean(doc["requirePartitionFilter"], pointerOf(base, "requirePartitionFilter"), problems);
  if (doc["timePartitioning"] !== undefined) {
    const tp = parseTimePartitioning(doc["timePartitioning"], pointerOf(base, "timePartitioning"), columns, problems);
    if (tp) {
      schema.timePartitioning = tp.partitioning;
      requireFilter ||= tp.requirePartitionFilter;
    }
  }
  if (doc["rangePartitioning"] !== undefined) {
    const rp = parseRangePartitioning(doc["rangePartitioning"], pointerOf(base, "rangePartitioning"), columns, problems);
    if (rp) schema.rangePartitioning = rp;
    if (doc["timePartitioning"] !== undefined) {
      problems.push({ pointer: pointerOf(base, "rangePartitioning"), message: "a table has timePartitioning or rangePartitioning, not both" });
    }
  }
  if (doc["clustering"] !== undefined) {
    const clustering = parseClustering(doc["clustering"], pointerOf(base, "clustering"), columns, problems);
    if (clustering) schema.clustering = clustering;
  }
  if (requireFilter) {
    if (doc["timePartitioning"] === undefined && doc["rangePartitioning"] === undefined) {
      problems.push({ pointer: pointerOf(base, "requirePartitionFilter"), message: "only a partitioned table can require a partition filter; add timePartitioning or rangePartitioning" });
    }
    schema.requirePartitionFilter = true;
  }

  const result: ParsedTableDocument = { schema };
  if (doc["description"] !== undefined && doc["description"] !== null) {
    if (typeof doc["description"] !== "string") problems.push({ pointer: pointerOf(base, "description"), message: "must be a string" });
    else if (doc["description"] !== "") result.description = doc["description"];
  }
  const primaryKey = parsePrimaryKey(doc["tableConstraints"], pointerOf(base, "tableConstraints"), columns, problems);
  if (primaryKey) result.primaryKey = primaryKey;
  return result;
}

function requiredFields(value: unknown, pointer: string, problems: Problems): BqField[] {
  if (value === undefined) {
    problems.push({ pointer, message: "is required: the table's columns, an array of {name, type, mode?, …}" });
    return [];
  }
  return parseFields(value, pointer, 1, problems);
}

function optionalBoolean(value: unknown, pointer: string, problems: Problems): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  problems.push({ pointer, message: "must be true or false" });
  return false;
}

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], pointer: string, problems: Problems) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.push({ pointer: pointerOf(pointer, key), message: `unknown property; expected ${allowed.join(", ")}` });
  }
}

/** A partitioning or clustering column: a top-level column, resolved to its declared spelling. */
function topLevelColumn(
  name: unknown,
  pointer: string,
  columns: Map<string, BqField>,
  problems: Problems,
  allowedTypes: readonly string[] | null,
  purpose: string,
): BqField | null {
  if (typeof name !== "string" || name === "") {
    problems.push({ pointer, message: "must be the name of a top-level column" });
    return null;
  }
  const column = columns.get(name.toLowerCase());
  if (!column) {
    problems.push({ pointer, message: `no top-level column named ${name}; columns: ${[...columns.values()].map((c) => c.name).join(", ")}` });
    return null;
  }
  if (column.mode === "REPEATED") {
    problems.push({ pointer, message: `${purpose} column ${column.name} is REPEATED; it must hold one value per row` });
    return null;
  }
  if (allowedTypes && !allowedTypes.includes(column.type)) {
    problems.push({ pointer, message: `${purpose} column ${column.name} is ${column.type}; it must be ${allowedTypes.join(", ")}` });
    return null;
  }
  return column;
}

function parseTimePartitioning(value: unknown, pointer: string, columns: Map<string, BqField>, problems: Problems) {
  if (!isObject(value)) {
    problems.push({ pointer, message: "must be an object {type: DAY|HOUR|MONTH|YEAR, field?, expirationMs?}" });
    return null;
  }
  unknownKeys(value, ["type", "field", "expirationMs", "requirePartitionFilter"], pointer, problems);
  const type = typeof value["type"] === "string" ? value["type"].toUpperCase() : value["type"];
  if (!TIME_PARTITION_TYPES.includes(type as never)) {
    problems.push({ pointer: pointerOf(pointer, "type"), message: `must be one of ${TIME_PARTITION_TYPES.join(", ")}` });
    return null;
  }
  const partitioning: BqTimePartitioning = { type: type as BqTimePartitioning["type"] };
  if (value["field"] !== undefined && value["field"] !== null) {
    const column = topLevelColumn(value["field"], pointerOf(pointer, "field"), columns, problems, ["DATE", "TIMESTAMP", "DATETIME"], "the partitioning");
    if (column) {
      partitioning.field = column.name;
      if (column.type === "DATE" && partitioning.type === "HOUR") {
        problems.push({ pointer: pointerOf(pointer, "type"), message: `column ${column.name} is a DATE: partition it by DAY, MONTH or YEAR` });
      }
    }
  }
  if (value["expirationMs"] !== undefined && value["expirationMs"] !== null) {
    const ms = int64(value["expirationMs"], pointerOf(pointer, "expirationMs"), problems, 0n);
    if (ms !== null) partitioning.expirationMs = ms;
  }
  const requirePartitionFilter = optionalBoolean(value["requirePartitionFilter"], pointerOf(pointer, "requirePartitionFilter"), problems);
  return { partitioning, requirePartitionFilter };
}

function parseRangePartitioning(value: unknown, pointer: string, columns: Map<string, BqField>, problems: Problems): BqRangePartitioning | null {
  if (!isObject(value)) {
    problems.push({ pointer, message: "must be an object {field, range: {start, end, interval}}" });
    return null;
  }
  unknownKeys(value, ["field", "range"], pointer, problems);
  const column = topLevelColumn(value["field"], pointerOf(pointer, "field"), columns, problems, ["INTEGER"], "the partitioning");
  const range = value["range"];
  if (!isObject(range)) {
    problems.push({ pointer: pointerOf(pointer, "range"), message: "must be an object {start, end, interval} of integers" });
    return null;
  }
  unknownKeys(range, ["start", "end", "interval"], pointerOf(pointer, "range"), problems);
  const start = int64(range["start"], pointerOf(pointer, "range", "start"), problems);
  const end = int64(range["end"], pointerOf(pointer, "range", "end"), problems);
  const interval = int64(range["interval"], pointerOf(pointer, "range", "interval"), problems, 1n);
  if (start === null || end === null || interval === null || !column) return null;
  if (BigInt(end) <= BigInt(start)) {
    problems.push({ pointer: pointerOf(pointer, "range", "end"), message: `must be greater than start (${start})` });
    return null;
  }
  return { field: column.name, range: { start, end, interval } };
}

function parseClustering(value: unknown, pointer: string, columns: Map<string, BqField>, problems: Problems): { fields: string[] } | null {
  if (!isObject(value) || !Array.isArray(value["fields"])) {
    problems.push({ pointer, message: "must be an object {fields: [up to 4 top-level column names]}" });
    return null;
  }
  unknownKeys(value, ["fields"], pointer, problems);
  const names = value["fields"];
  if (names.length === 0) return null;
  if (names.length > 4) problems.push({ pointer: pointerOf(pointer, "fields"), message: `BigQuery clusters on at most 4 columns; got ${names.length}` });
  const fields: string[] = [];
  names.forEach((name, i) => {
    const clusterable = ["STRING", "BYTES", "INTEGER", "NUMERIC", "BIGNUMERIC", "BOOLEAN", "TIMESTAMP", "DATE", "TIME", "DATETIME", "GEOGRAPHY", "RANGE"];
    const column = topLevelColumn(name, pointerOf(pointer, "fields", i), columns, problems, clusterable, "the clustering");
    if (!column) return;
    if (fields.includes(column.name)) problems.push({ pointer: pointerOf(pointer, "fields", i), message: `column ${column.name} is listed twice` });
    else fields.push(column.name);
  });
  return { fields };
}

function parsePrimaryKey(value: unknown, pointer: string, columns: Map<string, BqField>, problems: Problems): string[] | null {
  if (!isObject(value) || !isObject(value["primaryKey"])) return null;
  const names = value["primaryKey"]["columns"];
  if (!Array.isArray(names)) return null;
  const keys: string[] = [];
  names.forEach((name, i) => {
    const column = topLevelColumn(name, pointerOf(pointer, "primaryKey", "columns", i), columns, problems, null, "the primary key");
    if (column) keys.push(column.name);
  });
  return keys.length > 0 ? keys : null;
}
