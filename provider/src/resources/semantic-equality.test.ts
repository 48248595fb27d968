// The offline comparisons that keep plans empty: flow YAML and table schema JSON.
import { describe, expect, it } from "vitest";
import { topLevelScalar, yamlEqual } from "./flow-yaml.ts";
import { tableSchemaEqual } from "./table-schema.ts";

describe("flow YAML equality", () => {
  const base = "id: a\nnamespace: n\ntasks:\n  - id: t\n    type: core.log\n    message: hi\n";
  it("ignores formatting, comments, quoting and key order", () => {
    expect(yamlEqual(base, "# c\nnamespace: 'n'\nid: \"a\"\ntasks: [ {message: hi, type: core.log, id: t} ]  # end\n")).toBe(true);
  });
  it("sees a changed value, a reordered list, a changed type", () => {
    expect(yamlEqual(base, base.replace("hi", "ho"))).toBe(false);
    expect(yamlEqual("a: [1, 2]", "a: [2, 1]")).toBe(false);
    expect(yamlEqual("a: 1", 'a: "1"')).toBe(false);
  });
  it("a source that does not parse is only equal to itself", () => {
    expect(yamlEqual("a: [", "a: [")).toBe(true);
    expect(() => yamlEqual("a: [", "a: []")).toThrow();
  });
});

describe("table schema equality", () => {
  const fields = [{ name: "id", type: "INTEGER", mode: "REQUIRED" }, { name: "amount", type: "NUMERIC", mode: "NULLABLE" }];
  const s = (v: unknown) => JSON.stringify(v);
  it("reads a bq show table, its schema or its fields alike; aliases and default modes are no change", () => {
    const table = { tableReference: { tableId: "x" }, numRows: "5", schema: { fields: [{ type: "INT64", name: "id", mode: "required" }, { name: "amount", type: "DECIMAL" }] } };
    expect(tableSchemaEqual(s(fields), s(table))).toBe(true);
    expect(tableSchemaEqual(s({ fields }), s({ schema: { fields } }))).toBe(true);
  });
  it("normalises int64s, partitioning and the require-filter flag", () => {
    const a = { fields, timePartitioning: { type: "day", expirationMs: 86400000, requirePartitionFilter: true } };
    const b = { schema: { fields }, timePartitioning: { type: "DAY", expirationMs: "86400000" }, requirePartitionFilter: true };
    expect(tableSchemaEqual(s(a), s(b))).toBe(true);
  });
  it("sees a removed column, a changed mode, a new clustering", () => {
    expect(tableSchemaEqual(s(fields), s(fields.slice(0, 1)))).toBe(false);
    expect(tableSchemaEqual(s(fields), s([fields[0], { ...fields[1], mode: "REQUIRED" }]))).toBe(false);
    expect(tableSchemaEqual(s({ fields }), s({ fields, clustering: { fields: ["id"] } }))).toBe(false);
  });
});

describe("top-level scalars read without parsing", () => {
  it("finds plain and quoted values, ignoring comments and nested keys", () => {
    const src = "# c\nid: daily_orders # the id\nnamespace: \"retail.sales\"\ntasks:\n  - id: t\n";
    expect(topLevelScalar(src, "id")).toBe("daily_orders");
    expect(topLevelScalar(src, "namespace")).toBe("retail.sales");
    expect(topLevelScalar("namespace: 'a.b'\n", "namespace")).toBe("a.b");
  });
  it("answers undefined when the YAML says it otherwise (then the caller parses)", () => {
    expect(topLevelScalar("{ id: a, namespace: b }", "id")).toBeUndefined();
    expect(topLevelScalar("tasks:\n  - id: t\n", "id")).toBeUndefined();
  });
});
