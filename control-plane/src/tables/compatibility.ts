import type { BqField, BqRangePartitioning, BqTimePartitioning, TableSchema } from "./bq-types.ts";

/**
 * What changes between two normalised schemas (bq-schema.ts), each change classified by
 * what it does to the people reading and writing the table:
 *
 *   major (breaking) — a query or a writer that worked before may fail or silently mean
 *                      something else: refused unless the contract's major version moves.
 *   minor            — additive or widening: everything that worked still works.
 *   patch            — documentation only (descriptions).
 *
 * The rules, column by column (paths are dotted: `customer.address.zip`):
 * - removed column: major. Added column: minor if NULLABLE or REPEATED; major if
 *   REQUIRED (existing rows have no value, and writers that do not set it start failing).
 * - mode: NULLABLE → REQUIRED major; REQUIRED → NULLABLE minor (BigQuery's "relax");
 *   to or from REPEATED major (a scalar becomes an array or back).
 * - type: the only widenings (minor) are those where every old value is a value of the
 *   new type, exactly, and BigQuery can convert the column in place:
 *       INTEGER → NUMERIC, INTEGER → BIGNUMERIC, NUMERIC → BIGNUMERIC, INTEGER → FLOAT,
 *   and, within one type, larger parameters: STRING(n)/BYTES(n) to a larger n or no
 *   limit, NUMERIC/BIGNUMERIC(P, S) to as many or more integer digits (P − S) and as
 *   many or more decimals (S). Everything else is major, including NUMERIC/BIGNUMERIC →
 *   FLOAT (exact decimals become approximate), DATE → DATETIME, STRING ↔ BYTES,
 *   a smaller or new maxLength, fewer digits, a RANGE element type, a collation change
 *   (equality and ordering change), a lower timestampPrecision.
 * - RECORD columns are compared field by field, recursively.
 * - column order: minor (BigQuery only appends; `SELECT *` consumers see a new order).
 * - name case only (`Id` → `id`): minor, BigQuery names are case-insensitive.
 * - descriptions: patch. policy tags, data policies, default values, rounding mode: minor.
 * Table-level:
 * - partitioning (added, removed, type, column, integer range) and clustering (any change
 *   of columns or their order): major — BigQuery cannot change them in place, the table
 *   is re-created, and both partition pruning and costs of existing queries change.
 * - partition expiration: minor. requirePartitionFilter turned on: major (queries without
 *   a partition filter start failing); turned off: minor.
 */
export type ChangeLevel = "major" | "minor" | "patch";

export interface SchemaChange {
  /** Dotted column path, or a table-level property (`timePartitioning`, `clustering`, …). */
  readonly path: string;
  /** A stable machine-readable code, e.g. `column-removed`. */
  readonly kind: string;
  /** The change in words, with what it means for readers and writers when it breaks. */
  readonly change: string;
  readonly breaking: boolean;
  readonly level: ChangeLevel;
}

class Changes {
  readonly list: SchemaChange[] = [];
  add(path: string, kind: string, level: ChangeLevel, change: string) {
    this.list.push({ path, kind, change, breaking: level === "major", level });
  }
}

export function compareSchemas(before: TableSchema, after: TableSchema): SchemaChange[] {
  const changes = new Changes();
  compareFields(before.fields, after.fields, "", changes);
  compareTableOptions(before, after, changes);
  return changes.list;
}

/** The version part a set of changes moves: major if any breaks, and so on; null if none. */
export function highestLevel(changes: readonly { level: ChangeLevel }[]): ChangeLevel | null {
  if (changes.some((c) => c.level === "major")) return "major";
  if (changes.some((c) => c.level === "minor")) return "minor";
  return changes.length > 0 ? "patch" : null;
}

function compareFields(before: readonly BqField[], after: readonly BqField[], parent: string, changes: Changes) {
  const pathOf = (name: string) => (parent ? `${parent}.${name}` : name);
  const afterByName = new Map(after.map((f) => [f.name.toLowerCase(), f]));
  const beforeByName = new Map(before.map((f) => [f.name.toLowerCase(), f]));
  for (const b of before) {
    const a = afterByName.get(b.name.toLowerCase());
    if (a) compareField(b, a, pathOf(a.name), changes);
    else changes.add(pathOf(b.name), "column-removed", "major", `column ${pathOf(b.name)} (${typeName(b)}) was removed: queries and flows that read it will fail`);
  }
  for (const a of after) {
    if (beforeByName.has(a.name.toLowerCase())) continue;
    if (a.mode === "REQUIRED") {
      changes.add(pathOf(a.name), "required-column-added", "major",
        `new column ${pathOf(a.name)} is REQUIRED: existing rows have no value and writers that do not set it will fail; add it as NULLABLE`);
    } else {
      changes.add(pathOf(a.name), "column-added", "minor", `column ${pathOf(a.name)} (${typeName(a)}, ${a.mode}) was added`);
    }
  }
  const order = (fields: readonly BqField[], other: Map<string, BqField>) =>
    fields.map((f) => f.name.toLowerCase()).filter((n) => other.has(n)).join(",");
  if (order(before, afterByName) !== order(after, beforeByName)) {
    changes.add(parent || "fields", "columns-reordered", "minor", `the columns ${parent ? `of ${parent} ` : ""}were reordered: consumers of SELECT * see a new column order`);
  }
}

function compareField(b: BqField, a: BqField, path: string, changes: Changes) {
  if (b.name !== a.name) changes.add(path, "name-case-changed", "minor", `column ${b.name} is now spelled ${a.name} (BigQuery names are case-insensitive)`);
  compareType(b, a, path, changes);
  compareMode(b, a, path, changes);
  if (b.type === "RECORD" && a.type === "RECORD") compareFields(b.fields ?? [], a.fields ?? [], path, changes);
  if ((b.description ?? "") !== (a.description ?? "")) changes.add(path, "description-changed", "patch", `the description of ${path} changed`);
  if (!sameJson(b.policyTags, a.policyTags)) changes.add(path, "policy-tags-changed", "minor", `the policy tags of ${path} changed (who may read it)`);
  if (!sameJson(b.dataPolicies, a.dataPolicies)) changes.add(path, "data-policies-changed", "minor", `the data policies of ${path} changed`);
  if ((b.defaultValueExpression ?? "") !== (a.defaultValueExpression ?? "")) {
    changes.add(path, "default-value-changed", "minor", `the default value of ${path} changed from ${b.defaultValueExpression ?? "none"} to ${a.defaultValueExpression ?? "none"}`);
  }
  if ((b.roundingMode ?? "") !== (a.roundingMode ?? "")) {
    changes.add(path, "rounding-mode-changed", "minor", `the rounding mode of ${path} changed from ${b.roundingMode ?? "default"} to ${a.roundingMode ?? "default"}`);
  }
  if ((b.collation ?? "") !== (a.collation ?? "")) {
    changes.add(path, "collation-changed", "major",
      `the collation of ${path} changed from '${b.collation ?? ""}' to '${a.collation ?? ""}': comparisons, grouping and ordering on it give other results`);
  }
  if ((b.foreignTypeDefinition ?? "") !== (a.foreignTypeDefinition ?? "")) {
    changes.add(path, "type-changed", "major", `the foreign type definition of ${path} changed`);
  }
  if (b.type === "TIMESTAMP" && a.type === "TIMESTAMP" && (b.timestampPrecision ?? "6") !== (a.timestampPrecision ?? "6")) {
    const lower = Number(a.timestampPrecision ?? "6") < Number(b.timestampPrecision ?? "6");
    changes.add(path, lower ? "type-narrowed" : "type-widened", lower ? "major" : "minor",
      `the timestamp precision of ${path} changed from ${b.timestampPrecision ?? "6"} to ${a.timestampPrecision ?? "6"} digits${lower ? ": finer values would be truncated" : ""}`);
  }
}

function compareMode(b: BqField, a: BqField, path: string, changes: Changes) {
  if (b.mode === a.mode) return;
  if (b.mode === "NULLABLE" && a.mode === "REQUIRED") {
    changes.add(path, "made-required", "major", `${path} was made REQUIRED: existing rows may hold NULL and writers that leave it empty will fail`);
  } else if (b.mode === "REQUIRED" && a.mode === "NULLABLE") {
    changes.add(path, "mode-relaxed", "minor", `${path} was relaxed from REQUIRED to NULLABLE`);
  } else {
    changes.add(path, "repeated-changed", "major",
      `${path} changed from ${b.mode} to ${a.mode}: ${a.mode === "REPEATED" ? "a single value becomes an array" : "an array becomes a single value"}, which breaks every query on it`);
  }
}

/** INTEGER, NUMERIC and BIGNUMERIC as (digits before the point, digits after). */
interface NumericDomain {
  integerDigits: number;
  scale: number;
}

function numericDomain(f: BqField): NumericDomain | null {
  const explicit = f.precision !== undefined ? { integerDigits: Number(f.precision) - Number(f.scale ?? "0"), scale: Number(f.scale ?? "0") } : null;
  switch (f.type) {
    case "INTEGER":
      return { integerDigits: 19, scale: 0 }; // every INT64 fits in 19 digits
    case "NUMERIC":
      return explicit ?? { integerDigits: 29, scale: 9 };
    case "BIGNUMERIC":
      return explicit ?? { integerDigits: 38.76, scale: 38 }; // 76.76 digits in all, 38 after the point
    default:
      return null;
  }
}

function compareType(b: BqField, a: BqField, path: string, changes: Changes) {
  const from = typeName(b);
  const to = typeName(a);
  if (from === to) return;
  const widened = (why = "") => changes.add(path, "type-widened", "minor", `${path} was widened from ${from} to ${to}${why}`);
  const narrowed = (why: string) => changes.add(path, "type-narrowed", "major", `${path} was narrowed from ${from} to ${to}: ${why}`);

  if ((b.type === "STRING" || b.type === "BYTES") && a.type === b.type) {
    const unit = b.type === "STRING" ? "characters" : "bytes";
    if (a.maxLength === undefined) return widened(" (no length limit)");
    if (b.maxLength === undefined || BigInt(a.maxLength) < BigInt(b.maxLength)) {
      return narrowed(`values longer than ${a.maxLength} ${unit} no longer fit`);
    }
    return widened();
  }
  const bd = numericDomain(b);
  const ad = numericDomain(a);
  if (bd && ad) {
    if (ad.integerDigits < bd.integerDigits) return narrowed(`it holds ${fmt(ad.integerDigits)} digits before the decimal point instead of ${fmt(bd.integerDigits)}`);
    if (ad.scale < bd.scale) return narrowed(`it keeps ${ad.scale} decimals instead of ${bd.scale}`);
    return widened();
  }
  if (b.type === "INTEGER" && a.type === "FLOAT") return widened(" (integers beyond 2^53 are rounded)");
  if (bd && a.type === "FLOAT") return narrowed("exact decimals become approximate floating-point values");
  changes.add(path, "type-changed", "major",
    `${path} changed type from ${from} to ${to}: BigQuery cannot convert it in place and readers expecting ${b.type} will fail; only INTEGER → NUMERIC → BIGNUMERIC, INTEGER → FLOAT and larger STRING/BYTES/NUMERIC parameters are compatible`);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** `STRING(50)`, `NUMERIC(10, 2)`, `RANGE<DATE>`, `RECORD`. */
export function typeName(f: BqField): string {
  if (f.maxLength !== undefined) return `${f.type}(${f.maxLength})`;
  if (f.precision !== undefined) return `${f.type}(${f.precision}, ${f.scale ?? "0"})`;
  if (f.rangeElementType) return `RANGE<${f.rangeElementType.type}>`;
  return f.type;
}

function compareTableOptions(before: TableSchema, after: TableSchema, changes: Changes) {
  const bp = describePartitioning(before.timePartitioning, before.rangePartitioning);
  const ap = describePartitioning(after.timePartitioning, after.rangePartitioning);
  if (bp.toLowerCase() !== ap.toLowerCase()) {
    const path = after.rangePartitioning || (before.rangePartitioning && !after.timePartitioning) ? "rangePartitioning" : "timePartitioning";
    changes.add(path, "partitioning-changed", "major",
      `partitioning changed from ${bp} to ${ap}: BigQuery re-creates the table, and partition pruning and the cost of existing queries change`);
  } else if ((before.timePartitioning?.expirationMs ?? "") !== (after.timePartitioning?.expirationMs ?? "")) {
    changes.add("timePartitioning.expirationMs", "partition-expiration-changed", "minor",
      `partition expiration changed from ${before.timePartitioning?.expirationMs ?? "none"} ms to ${after.timePartitioning?.expirationMs ?? "none"} ms`);
  }
  const bc = before.clustering?.fields.join(", ") ?? "";
  const ac = after.clustering?.fields.join(", ") ?? "";
  if (bc.toLowerCase() !== ac.toLowerCase()) {
    changes.add("clustering", "clustering-changed", "major",
      `clustering changed from ${bc ? `(${bc})` : "none"} to ${ac ? `(${ac})` : "none"}: the table's storage is reorganised and the cost of existing queries changes`);
  }
  if (!before.requirePartitionFilter && after.requirePartitionFilter) {
    changes.add("requirePartitionFilter", "partition-filter-required", "major", "queries must now filter on the partitioning column: queries without such a filter will fail");
  } else if (before.requirePartitionFilter && !after.requirePartitionFilter) {
    changes.add("requirePartitionFilter", "partition-filter-relaxed", "minor", "queries no longer need a partition filter");
  }
}

function describePartitioning(time: BqTimePartitioning | undefined, range: BqRangePartitioning | undefined): string {
  if (time) return `${time.type} on ${time.field ?? "ingestion time"}`;
  if (range) return `integer ranges of ${range.field} [${range.range.start}, ${range.range.end}) by ${range.range.interval}`;
  return "none";
}

/** Equal as JSON values, whatever the key order (PostgreSQL's JSONB reorders keys). */
function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
