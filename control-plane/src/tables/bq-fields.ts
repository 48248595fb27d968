import type { FieldProblem } from "../errors.ts";
import {
  BQ_MODES,
  BQ_TYPE_ALIASES,
  BQ_TYPES,
  RANGE_ELEMENT_TYPES,
  ROUNDING_MODES,
  type BqField,
  type BqMode,
  type BqType,
} from "./bq-types.ts";
import { int64, isObject, pointerOf } from "./json-util.ts";

/**
 * Columns (TableFieldSchema) of a `bq show` schema → normalised BqField. The field keys
 * are checked strictly (a misspelt `mdoe` would otherwise silently mean NULLABLE), and
 * the list below holds every key the BigQuery REST reference documents.
 */
export type Problems = FieldProblem[];

const FIELD_KEYS = [
  "name",
  "type",
  "mode",
  "fields",
  "description",
  "policyTags",
  "dataPolicies",
  "maxLength",
  "precision",
  "scale",
  "roundingMode",
  "collation",
  "defaultValueExpression",
  "rangeElementType",
  "foreignTypeDefinition",
  "timestampPrecision",
  "categories", // deprecated by BigQuery in favour of policyTags: accepted, not kept
];

/** BigQuery's limit on RECORD nesting. */
const MAX_DEPTH = 15;
const MAX_NAME_LENGTH = 300;
const MAX_DESCRIPTION_LENGTH = 1024;
/** Prefixes BigQuery reserves for pseudo-columns (compared case-insensitively). */
const RESERVED_PREFIXES = ["_TABLE_", "_FILE_", "_PARTITION", "_ROW_TIMESTAMP", "__ROOT__", "_COLIDENTIFIER", "_CHANGE_"];
/**
 * Letters, marks, digits, `_`, `-` and spaces: the classic rule ([A-Za-z_][A-Za-z0-9_]*)
 * widened to BigQuery's flexible column names, minus the punctuation no SQL we generate
 * should have to quote around.
 */
const NAME = /^[\p{L}\p{M}\p{N}_](?:[\p{L}\p{M}\p{N}_\- ]*[\p{L}\p{M}\p{N}_])?$/u;

/** Parses an array of columns; `depth` is 1 for the table's own columns. */
export function parseFields(value: unknown, pointer: string, depth: number, problems: Problems): BqField[] {
  if (!Array.isArray(value)) {
    problems.push({ pointer, message: "must be an array of columns {name, type, mode?, description?, fields?}" });
    return [];
  }
  if (value.length === 0) {
    problems.push({ pointer, message: depth === 1 ? "a table needs at least one column" : "a RECORD needs at least one nested field" });
    return [];
  }
  const fields: BqField[] = [];
  const seen = new Map<string, number>();
  value.forEach((item, i) => {
    const field = parseField(item, pointerOf(pointer, i), depth, problems);
    if (!field) return;
    // BigQuery column names are case-insensitive: `Id` and `id` are the same column.
    const twin = seen.get(field.name.toLowerCase());
    if (twin !== undefined) {
      problems.push({ pointer: pointerOf(pointer, i, "name"), message: `duplicates the name of column ${twin} (names are case-insensitive)` });
      return;
    }
    seen.set(field.name.toLowerCase(), i);
    fields.push(field);
  });
  return fields;
}

function parseField(value: unknown, pointer: string, depth: number, problems: Problems): BqField | null {
  if (!isObject(value)) {
    problems.push({ pointer, message: "must be an object {name, type, mode?, description?, fields?}" });
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!FIELD_KEYS.includes(key)) problems.push({ pointer: pointerOf(pointer, key), message: `unknown property of a column; expected one of ${FIELD_KEYS.join(", ")}` });
  }
  const name = parseName(value["name"], pointerOf(pointer, "name"), problems);
  const type = parseType(value["type"], pointerOf(pointer, "type"), problems);
  const mode = parseMode(value["mode"], pointerOf(pointer, "mode"), problems);
  if (name === null || type === null || mode === null) return null;

  const field: BqField = { name, type, mode };
  const at = (key: string) => pointerOf(pointer, key);
  const present = (key: string) => value[key] !== undefined && value[key] !== null;
  const onlyFor = (key: string, types: BqType[]) => {
    if (present(key) && !types.includes(type)) problems.push({ pointer: at(key), message: `only ${types.join(" or ")} columns have ${key}; ${name} is ${type}` });
    return present(key) && types.includes(type);
  };

  const description = optionalString(value["description"], at("description"), problems, MAX_DESCRIPTION_LENGTH);
  if (description) field.description = description;

  if (type === "RECORD") {
    if (depth >= MAX_DEPTH) problems.push({ pointer: at("fields"), message: `RECORD columns nest at most ${MAX_DEPTH} levels deep in BigQuery` });
    else if (!present("fields")) problems.push({ pointer: at("fields"), message: "is required for a RECORD: its nested columns" });
    else field.fields = parseFields(value["fields"], at("fields"), depth + 1, problems);
  } else if (present("fields") && !(Array.isArray(value["fields"]) && value["fields"].length === 0)) {
    problems.push({ pointer: at("fields"), message: `only RECORD (STRUCT) columns have nested fields; ${name} is ${type}` });
  }

  if (present("policyTags")) {
    const tags = value["policyTags"];
    const names = isObject(tags) ? tags["names"] : undefined;
    if (!isObject(tags) || (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === "string")))) {
      problems.push({ pointer: at("policyTags"), message: "must be an object {names: [policy tag resource names]}" });
    } else if (Array.isArray(names) && names.length > 0) {
      field.policyTags = { names: [...new Set(names as string[])].sort() };
    }
  }
  if (present("dataPolicies")) {
    if (!Array.isArray(value["dataPolicies"])) problems.push({ pointer: at("dataPolicies"), message: "must be an array" });
    else if (value["dataPolicies"].length > 0) field.dataPolicies = value["dataPolicies"];
  }

  if (onlyFor("maxLength", ["STRING", "BYTES"])) {
    const maxLength = int64(value["maxLength"], at("maxLength"), problems, 1n);
    if (maxLength !== null) field.maxLength = maxLength;
  }
  parsePrecisionAndScale(value, field, pointer, problems, onlyFor);
  if (onlyFor("roundingMode", ["NUMERIC", "BIGNUMERIC"])) {
    const mode = value["roundingMode"];
    if (mode === "ROUNDING_MODE_UNSPECIFIED") {
      /* the default: same as absent */
    } else if (ROUNDING_MODES.includes(mode as never)) field.roundingMode = mode as (typeof ROUNDING_MODES)[number];
    else problems.push({ pointer: at("roundingMode"), message: `must be one of ${ROUNDING_MODES.join(", ")}` });
  }
  if (onlyFor("collation", ["STRING"])) {
    const collation = optionalString(value["collation"], at("collation"), problems, 100);
    if (collation) field.collation = collation;
  }
  const defaultValue = optionalString(value["defaultValueExpression"], at("defaultValueExpression"), problems, 10_000);
  if (defaultValue) field.defaultValueExpression = defaultValue;

  if (type === "RANGE") {
    const element = value["rangeElementType"];
    const elementType = isObject(element) && typeof element["type"] === "string" ? element["type"].toUpperCase() : undefined;
    if (!RANGE_ELEMENT_TYPES.includes(elementType as never)) {
      problems.push({ pointer: at("rangeElementType"), message: `is required for a RANGE: {type: ${RANGE_ELEMENT_TYPES.join(" | ")}}` });
    } else field.rangeElementType = { type: elementType as (typeof RANGE_ELEMENT_TYPES)[number] };
  } else onlyFor("rangeElementType", ["RANGE"]);

  const foreign = optionalString(value["foreignTypeDefinition"], at("foreignTypeDefinition"), problems, 10_000);
  if (foreign) field.foreignTypeDefinition = foreign;
  if (onlyFor("timestampPrecision", ["TIMESTAMP"])) {
    const precision = int64(value["timestampPrecision"], at("timestampPrecision"), problems, 0n);
    if (precision !== null) field.timestampPrecision = precision;
  }
  return field;
}

/**
 * NUMERIC(P, S): 0 ≤ S ≤ 9 and max(1, S) ≤ P ≤ S + 29; BIGNUMERIC(P, S): 0 ≤ S ≤ 38 and
 * max(1, S) ≤ P ≤ S + 38. Scale defaults to 0 once a precision is given and is then
 * stored explicitly, so NUMERIC(10) and NUMERIC(10, 0) compare equal.
 */
function parsePrecisionAndScale(
  value: Record<string, unknown>,
  field: BqField,
  pointer: string,
  problems: Problems,
  onlyFor: (key: string, types: BqType[]) => boolean,
) {
  const hasPrecision = onlyFor("precision", ["NUMERIC", "BIGNUMERIC"]);
  const hasScale = onlyFor("scale", ["NUMERIC", "BIGNUMERIC"]);
  if (!hasPrecision && !hasScale) return;
  if (!hasPrecision) {
    problems.push({ pointer: pointerOf(pointer, "scale"), message: "a scale needs a precision too: give both" });
    return;
  }
  const maxScale = field.type === "NUMERIC" ? 9n : 38n;
  const maxIntegerDigits = field.type === "NUMERIC" ? 29n : 38n;
  const scale = hasScale ? int64(value["scale"], pointerOf(pointer, "scale"), problems, 0n, maxScale) : "0";
  if (scale === null) return;
  const s = BigInt(scale);
  const minPrecision = s > 1n ? s : 1n;
  const precision = int64(value["precision"], pointerOf(pointer, "precision"), problems, minPrecision, s + maxIntegerDigits);
  if (precision === null) return;
  field.precision = precision;
  field.scale = scale;
}

function parseName(value: unknown, pointer: string, problems: Problems): string | null {
  if (typeof value !== "string" || value === "") {
    problems.push({ pointer, message: "is required: the column name" });
    return null;
  }
  if (value.length > MAX_NAME_LENGTH || !NAME.test(value)) {
    problems.push({ pointer, message: `${JSON.stringify(value).slice(0, 80)} is not a valid column name: 1-${MAX_NAME_LENGTH} letters, digits, '_', '-' or inner spaces` });
    return null;
  }
  const reserved = RESERVED_PREFIXES.find((p) => value.toUpperCase().startsWith(p));
  if (reserved) {
    problems.push({ pointer, message: `column names may not start with ${reserved} (reserved by BigQuery)` });
    return null;
  }
  return value;
}

function parseType(value: unknown, pointer: string, problems: Problems): BqType | null {
  const upper = typeof value === "string" ? value.trim().toUpperCase() : undefined;
  const type = upper === undefined ? undefined : (BQ_TYPE_ALIASES[upper] ?? (BQ_TYPES.includes(upper as BqType) ? (upper as BqType) : undefined));
  if (type) return type;
  const aliases = Object.keys(BQ_TYPE_ALIASES).join(", ");
  problems.push({
    pointer,
    message: `${value === undefined ? "is required" : `${JSON.stringify(value)} is not a BigQuery type`}: expected one of ${BQ_TYPES.join(", ")} (or ${aliases})`,
  });
  return null;
}

function parseMode(value: unknown, pointer: string, problems: Problems): BqMode | null {
  if (value === undefined || value === null || value === "") return "NULLABLE";
  const upper = typeof value === "string" ? value.trim().toUpperCase() : undefined;
  if (BQ_MODES.includes(upper as BqMode)) return upper as BqMode;
  problems.push({ pointer, message: `${JSON.stringify(value)} is not a mode: expected ${BQ_MODES.join(", ")} (default NULLABLE)` });
  return null;
}

function optionalString(value: unknown, pointer: string, problems: Problems, maxLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    problems.push({ pointer, message: "must be a string" });
    return undefined;
  }
  if (value.length > maxLength) {
    problems.push({ pointer, message: `must be at most ${maxLength} characters` });
    return undefined;
  }
  return value === "" ? undefined : value;
}
