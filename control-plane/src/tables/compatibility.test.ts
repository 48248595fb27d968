import { describe, expect, it } from "vitest";
import { parseTableDocument } from "./bq-schema.ts";
import type { TableSchema } from "./bq-types.ts";
import { compareSchemas, highestLevel } from "./compatibility.ts";
import { planContract, type ContractSpec, type StoredContract } from "./contract-plan.ts";

function schema(doc: unknown): TableSchema {
  const r = parseTableDocument(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value.schema;
}

const col = (name: string, type: string, extra: Record<string, unknown> = {}) => ({ name, type, ...extra });
const base = [col("id", "INTEGER", { mode: "REQUIRED" }), col("name", "STRING"), col("day", "DATE")];
const withAddress = (zip: Record<string, unknown>, extra: Record<string, unknown>[] = []) => [
  ...base,
  col("customer", "RECORD", { fields: [col("address", "RECORD", { fields: [col("zip", "STRING", zip), ...extra] })] }),
];

type Case = [name: string, before: unknown, after: unknown, expected: { path: string; kind: string; level: "major" | "minor" | "patch" }[]];

const cases: Case[] = [
  ["no change", base, base, []],
  ["same meaning, other spelling", base, [col("id", "INT64", { mode: "REQUIRED" }), col("name", "STRING", { mode: "NULLABLE", description: "" }), col("day", "DATE")], []],
  ["a column removed", base, base.slice(0, 2), [{ path: "day", kind: "column-removed", level: "major" }]],
  ["a NULLABLE column added", base, [...base, col("note", "STRING")], [{ path: "note", kind: "column-added", level: "minor" }]],
  ["a REPEATED column added", base, [...base, col("tags", "STRING", { mode: "REPEATED" })], [{ path: "tags", kind: "column-added", level: "minor" }]],
  ["a REQUIRED column added", base, [...base, col("note", "STRING", { mode: "REQUIRED" })], [{ path: "note", kind: "required-column-added", level: "major" }]],
  ["NULLABLE made REQUIRED", base, [base[0], col("name", "STRING", { mode: "REQUIRED" }), base[2]], [{ path: "name", kind: "made-required", level: "major" }]],
  ["REQUIRED relaxed", base, [col("id", "INTEGER"), base[1], base[2]], [{ path: "id", kind: "mode-relaxed", level: "minor" }]],
  ["made REPEATED", base, [base[0], col("name", "STRING", { mode: "REPEATED" }), base[2]], [{ path: "name", kind: "repeated-changed", level: "major" }]],
  ["REPEATED made scalar", [col("t", "STRING", { mode: "REPEATED" })], [col("t", "STRING")], [{ path: "t", kind: "repeated-changed", level: "major" }]],
  ["INTEGER → NUMERIC", [col("n", "INTEGER")], [col("n", "NUMERIC")], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["INTEGER → BIGNUMERIC", [col("n", "INTEGER")], [col("n", "BIGNUMERIC")], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["NUMERIC → BIGNUMERIC", [col("n", "NUMERIC")], [col("n", "BIGNUMERIC")], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["INTEGER → FLOAT", [col("n", "INTEGER")], [col("n", "FLOAT64")], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["NUMERIC → INTEGER", [col("n", "NUMERIC")], [col("n", "INTEGER")], [{ path: "n", kind: "type-narrowed", level: "major" }]],
  ["BIGNUMERIC → NUMERIC", [col("n", "BIGNUMERIC")], [col("n", "NUMERIC")], [{ path: "n", kind: "type-narrowed", level: "major" }]],
  ["NUMERIC → FLOAT", [col("n", "NUMERIC")], [col("n", "FLOAT")], [{ path: "n", kind: "type-narrowed", level: "major" }]],
  ["FLOAT → INTEGER", [col("n", "FLOAT")], [col("n", "INTEGER")], [{ path: "n", kind: "type-changed", level: "major" }]],
  ["INTEGER → STRING", [col("n", "INTEGER")], [col("n", "STRING")], [{ path: "n", kind: "type-changed", level: "major" }]],
  ["DATE → DATETIME", [col("d", "DATE")], [col("d", "DATETIME")], [{ path: "d", kind: "type-changed", level: "major" }]],
  ["STRING → BYTES", [col("s", "STRING")], [col("s", "BYTES")], [{ path: "s", kind: "type-changed", level: "major" }]],
  ["INTEGER → NUMERIC(10)", [col("n", "INTEGER")], [col("n", "NUMERIC", { precision: "10" })], [{ path: "n", kind: "type-narrowed", level: "major" }]],
  ["INTEGER → NUMERIC(20)", [col("n", "INTEGER")], [col("n", "NUMERIC", { precision: "20" })], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["NUMERIC(10,2) → NUMERIC(12,2)", [col("n", "NUMERIC", { precision: "10", scale: "2" })], [col("n", "NUMERIC", { precision: "12", scale: "2" })], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["NUMERIC(10,2) → NUMERIC(10,3)", [col("n", "NUMERIC", { precision: "10", scale: "2" })], [col("n", "NUMERIC", { precision: "10", scale: "3" })], [{ path: "n", kind: "type-narrowed", level: "major" }]],
  ["NUMERIC(10,2) → NUMERIC(10,1)", [col("n", "NUMERIC", { precision: "10", scale: "2" })], [col("n", "NUMERIC", { precision: "10", scale: "1" })], [{ path: "n", kind: "type-narrowed", level: "major" }]],
  ["NUMERIC(10,2) → NUMERIC", [col("n", "NUMERIC", { precision: "10", scale: "2" })], [col("n", "NUMERIC")], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["NUMERIC → NUMERIC(29,9) (same domain)", [col("n", "NUMERIC")], [col("n", "NUMERIC", { precision: "38", scale: "9" })], [{ path: "n", kind: "type-widened", level: "minor" }]],
  ["STRING(10) → STRING(20)", [col("s", "STRING", { maxLength: "10" })], [col("s", "STRING", { maxLength: "20" })], [{ path: "s", kind: "type-widened", level: "minor" }]],
  ["STRING(10) → STRING", [col("s", "STRING", { maxLength: "10" })], [col("s", "STRING")], [{ path: "s", kind: "type-widened", level: "minor" }]],
  ["STRING(20) → STRING(10)", [col("s", "STRING", { maxLength: "20" })], [col("s", "STRING", { maxLength: "10" })], [{ path: "s", kind: "type-narrowed", level: "major" }]],
  ["STRING → STRING(10)", [col("s", "STRING")], [col("s", "STRING", { maxLength: "10" })], [{ path: "s", kind: "type-narrowed", level: "major" }]],
  ["BYTES(8) → BYTES(4)", [col("b", "BYTES", { maxLength: "8" })], [col("b", "BYTES", { maxLength: "4" })], [{ path: "b", kind: "type-narrowed", level: "major" }]],
  ["RANGE<DATE> → RANGE<TIMESTAMP>", [col("r", "RANGE", { rangeElementType: { type: "DATE" } })], [col("r", "RANGE", { rangeElementType: { type: "TIMESTAMP" } })], [{ path: "r", kind: "type-changed", level: "major" }]],
  ["a collation", [col("s", "STRING")], [col("s", "STRING", { collation: "und:ci" })], [{ path: "s", kind: "collation-changed", level: "major" }]],
  ["a description", base, [base[0], col("name", "STRING", { description: "who" }), base[2]], [{ path: "name", kind: "description-changed", level: "patch" }]],
  ["policy tags", base, [base[0], col("name", "STRING", { policyTags: { names: ["projects/p/t"] } }), base[2]], [{ path: "name", kind: "policy-tags-changed", level: "minor" }]],
  ["a default value", base, [base[0], col("name", "STRING", { defaultValueExpression: "'x'" }), base[2]], [{ path: "name", kind: "default-value-changed", level: "minor" }]],
  ["name case only", base, [base[0], col("Name", "STRING"), base[2]], [{ path: "Name", kind: "name-case-changed", level: "minor" }]],
  ["columns reordered", base, [base[1], base[0], base[2]], [{ path: "fields", kind: "columns-reordered", level: "minor" }]],
  ["a nested column removed", withAddress({}, [col("city", "STRING")]), withAddress({}), [{ path: "customer.address.city", kind: "column-removed", level: "major" }]],
  ["a nested column narrowed", withAddress({ maxLength: "10" }), withAddress({ maxLength: "5" }), [{ path: "customer.address.zip", kind: "type-narrowed", level: "major" }]],
  ["a nested column made REQUIRED", withAddress({}), withAddress({ mode: "REQUIRED" }), [{ path: "customer.address.zip", kind: "made-required", level: "major" }]],
  ["a nested NULLABLE column added", withAddress({}), withAddress({}, [col("city", "STRING")]), [{ path: "customer.address.city", kind: "column-added", level: "minor" }]],
  ["a nested REQUIRED column added", withAddress({}), withAddress({}, [col("city", "STRING", { mode: "REQUIRED" })]), [{ path: "customer.address.city", kind: "required-column-added", level: "major" }]],
  ["RECORD → STRING", withAddress({}), [...base, col("customer", "STRING")], [{ path: "customer", kind: "type-changed", level: "major" }]],
  ["partitioning added", { fields: base }, { fields: base, timePartitioning: { type: "DAY", field: "day" } }, [{ path: "timePartitioning", kind: "partitioning-changed", level: "major" }]],
  ["partitioning removed", { fields: base, timePartitioning: { type: "DAY", field: "day" } }, { fields: base }, [{ path: "timePartitioning", kind: "partitioning-changed", level: "major" }]],
  ["partition type changed", { fields: base, timePartitioning: { type: "DAY", field: "day" } }, { fields: base, timePartitioning: { type: "MONTH", field: "day" } }, [{ path: "timePartitioning", kind: "partitioning-changed", level: "major" }]],
  ["partition expiration changed", { fields: base, timePartitioning: { type: "DAY", field: "day" } }, { fields: base, timePartitioning: { type: "DAY", field: "day", expirationMs: "86400000" } }, [{ path: "timePartitioning.expirationMs", kind: "partition-expiration-changed", level: "minor" }]],
  ["time → range partitioning", { fields: base, timePartitioning: { type: "DAY", field: "day" } }, { fields: base, rangePartitioning: { field: "id", range: { start: 0, end: 100, interval: 10 } } }, [{ path: "rangePartitioning", kind: "partitioning-changed", level: "major" }]],
  ["integer range changed", { fields: base, rangePartitioning: { field: "id", range: { start: 0, end: 100, interval: 10 } } }, { fields: base, rangePartitioning: { field: "id", range: { start: 0, end: 200, interval: 10 } } }, [{ path: "rangePartitioning", kind: "partitioning-changed", level: "major" }]],
  ["clustering added", { fields: base }, { fields: base, clustering: { fields: ["name"] } }, [{ path: "clustering", kind: "clustering-changed", level: "major" }]],
  ["clustering reordered", { fields: base, clustering: { fields: ["name", "day"] } }, { fields: base, clustering: { fields: ["day", "name"] } }, [{ path: "clustering", kind: "clustering-changed", level: "major" }]],
  ["partition filter required", { fields: base, timePartitioning: { type: "DAY", field: "day" } }, { fields: base, timePartitioning: { type: "DAY", field: "day" }, requirePartitionFilter: true }, [{ path: "requirePartitionFilter", kind: "partition-filter-required", level: "major" }]],
  ["partition filter relaxed", { fields: base, timePartitioning: { type: "DAY", field: "day", requirePartitionFilter: true } }, { fields: base, timePartitioning: { type: "DAY", field: "day" } }, [{ path: "requirePartitionFilter", kind: "partition-filter-relaxed", level: "minor" }]],
  [
    "several changes at once",
    base,
    [col("id", "NUMERIC", { mode: "REQUIRED" }), col("extra", "STRING")],
    [
      { path: "id", kind: "type-widened", level: "minor" },
      { path: "name", kind: "column-removed", level: "major" },
      { path: "day", kind: "column-removed", level: "major" },
      { path: "extra", kind: "column-added", level: "minor" },
    ],
  ],
];

describe("compareSchemas", () => {
  it.each(cases)("%s", (_name, before, after, expected) => {
    const changes = compareSchemas(schema(before), schema(after));
    expect(changes.map(({ path, kind, level }) => ({ path, kind, level }))).toEqual(expected);
    for (const c of changes) {
      expect(c.breaking).toBe(c.level === "major");
      expect(c.change.length).toBeGreaterThan(10);
    }
  });

  it("describes changes in words, with the path and what it means", () => {
    const [removed] = compareSchemas(schema(withAddress({}, [col("city", "STRING")])), schema(withAddress({})));
    expect(removed!.change).toMatch(/customer\.address\.city .* removed: queries and flows that read it will fail/);
    const [narrowed] = compareSchemas(schema([col("n", "INTEGER")]), schema([col("n", "NUMERIC", { precision: "10" })]));
    expect(narrowed!.change).toContain("NUMERIC(10, 0)");
  });

  it("ranks a set of changes by its highest level", () => {
    expect(highestLevel([])).toBeNull();
    expect(highestLevel([{ level: "patch" }])).toBe("patch");
    expect(highestLevel([{ level: "patch" }, { level: "minor" }])).toBe("minor");
    expect(highestLevel([{ level: "minor" }, { level: "major" }])).toBe("major");
  });
});

describe("planContract", () => {
  const spec = (fields: unknown, more: Partial<ContractSpec> = {}): ContractSpec => ({ schema: schema(fields), feedType: "WRITE_APPEND", keys: [], description: "", labels: {}, ...more });
  const stored = (version: string, s: ContractSpec, deleted = false): StoredContract => ({ ...s, version, deleted });
  const v1 = stored("1.2.3", spec(base));

  it.each<[string, StoredContract | null, ContractSpec, string | undefined, { action: string; nextVersion: string; refused: boolean }]>([
    ["creates at 1.0.0", null, spec(base), undefined, { action: "create", nextVersion: "1.0.0", refused: false }],
    ["creates at a requested version", null, spec(base), "3.1.0", { action: "create", nextVersion: "3.1.0", refused: false }],
    ["keeps the version when nothing changed", v1, spec(base), undefined, { action: "unchanged", nextVersion: "1.2.3", refused: false }],
    ["keeps it when the current version is sent", v1, spec(base), "1.2.3", { action: "unchanged", nextVersion: "1.2.3", refused: false }],
    ["takes a higher version without change", v1, spec(base), "1.3.0", { action: "update", nextVersion: "1.3.0", refused: false }],
    ["bumps the minor for a compatible change", v1, spec([...base, col("x", "STRING")]), undefined, { action: "update", nextVersion: "1.3.0", refused: false }],
    ["bumps the patch for a description", v1, spec(base, { description: "new words" }), undefined, { action: "update", nextVersion: "1.2.4", refused: false }],
    ["bumps the patch for labels", v1, spec(base, { labels: { layer: "raw" } }), undefined, { action: "update", nextVersion: "1.2.4", refused: false }],
    ["refuses a breaking change", v1, spec(base.slice(1)), undefined, { action: "update", nextVersion: "2.0.0", refused: true }],
    ["refuses a breaking change with a minor bump", v1, spec(base.slice(1)), "1.9.0", { action: "update", nextVersion: "2.0.0", refused: true }],
    ["accepts a breaking change with a major bump", v1, spec(base.slice(1)), "2.0.0", { action: "update", nextVersion: "2.0.0", refused: false }],
    ["refuses a version going backwards", v1, spec(base), "1.2.2", { action: "unchanged", nextVersion: "1.2.3", refused: true }],
    ["refuses a feed type change", v1, spec(base, { feedType: "WRITE_TRUNCATE" }), undefined, { action: "update", nextVersion: "2.0.0", refused: true }],
    ["refuses new MERGE keys", stored("1.0.0", spec(base, { feedType: "MODE_DELTA", keys: ["id"] })), spec(base, { feedType: "MODE_DELTA", keys: ["id", "day"] }), undefined, { action: "update", nextVersion: "2.0.0", refused: true }],
    ["re-creates a deleted contract, bumping the major by itself", stored("1.2.3", spec(base), true), spec(base.slice(1)), undefined, { action: "recreate", nextVersion: "2.0.0", refused: false }],
    ["re-creates an identical deleted contract at its version", stored("1.2.3", spec(base), true), spec(base), undefined, { action: "recreate", nextVersion: "1.2.3", refused: false }],
  ])("%s", (_name, before, after, requested, expected) => {
    const plan = planContract(before, after, requested);
    expect({ action: plan.action, nextVersion: plan.nextVersion, refused: plan.refusal !== null }).toEqual(expected);
  });

  it("says how to proceed when refusing a breaking change", () => {
    const plan = planContract(v1, spec(base.slice(1)));
    expect(plan.refusal).toMatch(/id: column id .* removed.*send "version": "2.0.0"/);
  });
});
