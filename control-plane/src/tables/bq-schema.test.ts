import { describe, expect, it } from "vitest";
import { parseTableDocument } from "./bq-schema.ts";

/** Shaped like `bq show --format=prettyjson project:retail_sales.orders`. */
const bqShowTable = {
  creationTime: "1700000000000",
  etag: "abc==",
  id: "acme:retail_sales.orders",
  kind: "bigquery#table",
  labels: { owner: "sales" },
  lastModifiedTime: "1700000000001",
  location: "EU",
  numBytes: "1024",
  numRows: "12",
  numLongTermBytes: "0",
  numTotalLogicalBytes: "1024",
  friendlyName: "Orders",
  selfLink: "https://bigquery.googleapis.com/bigquery/v2/projects/acme/datasets/retail_sales/tables/orders",
  streamingBuffer: { estimatedRows: "0" },
  defaultCollation: "",
  expirationTime: "1900000000000",
  encryptionConfiguration: { kmsKeyName: "k" },
  description: "Orders of the day",
  schema: {
    fields: [
      { mode: "REQUIRED", name: "order_id", type: "STRING", description: "the order" },
      { name: "amount", type: "NUMERIC", precision: "10", scale: "2" },
      { name: "ordered_at", type: "TIMESTAMP", mode: "NULLABLE" },
      {
        name: "customer",
        type: "RECORD",
        fields: [
          { name: "id", type: "INTEGER" },
          { name: "address", type: "RECORD", mode: "NULLABLE", fields: [{ name: "zip", type: "STRING", maxLength: "10" }] },
        ],
      },
      { name: "tags", type: "STRING", mode: "REPEATED", policyTags: { names: ["projects/p/b", "projects/p/a"] } },
    ],
  },
  tableReference: { datasetId: "retail_sales", projectId: "acme", tableId: "orders" },
  timePartitioning: { type: "DAY", field: "ordered_at", expirationMs: "7776000000", requirePartitionFilter: true },
  clustering: { fields: ["order_id"] },
  tableConstraints: { primaryKey: { columns: ["order_id"] } },
  type: "TABLE",
};

function ok(input: unknown) {
  const result = parseTableDocument(input, "/schema");
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

function problems(input: unknown) {
  const result = parseTableDocument(input, "/schema");
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

describe("parseTableDocument", () => {
  it("reads a whole `bq show` table: columns, partitioning, clustering, description, primary key", () => {
    const { schema, description, primaryKey } = ok(bqShowTable);
    expect(description).toBe("Orders of the day");
    expect(primaryKey).toEqual(["order_id"]);
    expect(schema.timePartitioning).toEqual({ type: "DAY", field: "ordered_at", expirationMs: "7776000000" });
    expect(schema.requirePartitionFilter).toBe(true);
    expect(schema.clustering).toEqual({ fields: ["order_id"] });
    expect(schema.fields[0]).toEqual({ name: "order_id", type: "STRING", mode: "REQUIRED", description: "the order" });
    expect(schema.fields[1]).toEqual({ name: "amount", type: "NUMERIC", mode: "NULLABLE", precision: "10", scale: "2" });
    expect(schema.fields[3]!.fields![1]!.fields![0]).toEqual({ name: "zip", type: "STRING", mode: "NULLABLE", maxLength: "10" });
    expect(schema.fields[4]!.policyTags).toEqual({ names: ["projects/p/a", "projects/p/b"] });
    expect(JSON.stringify(schema)).not.toContain("etag");
  });

  it("accepts the schema object, the fields array, and a JSON string, all to the same result", () => {
    const fields = bqShowTable.schema.fields;
    expect(ok({ fields }).schema.fields).toEqual(ok(bqShowTable).schema.fields);
    expect(ok(fields).schema.fields).toEqual(ok(bqShowTable).schema.fields);
    expect(ok(JSON.stringify(bqShowTable))).toEqual(ok(bqShowTable));
  });

  it("is idempotent: the normalised schema parses to itself", () => {
    const once = ok(bqShowTable).schema;
    expect(ok(once).schema).toEqual(once);
  });

  it.each([
    ["INT64", "INTEGER"],
    ["int64", "INTEGER"],
    ["FLOAT64", "FLOAT"],
    ["BOOL", "BOOLEAN"],
    ["DECIMAL", "NUMERIC"],
    ["BIGDECIMAL", "BIGNUMERIC"],
    ["JSON", "JSON"],
    ["GEOGRAPHY", "GEOGRAPHY"],
    ["INTERVAL", "INTERVAL"],
  ])("normalises type %s to %s", (input, canonical) => {
    expect(ok([{ name: "c", type: input }]).schema.fields[0]!.type).toBe(canonical);
  });

  it("normalises STRUCT to RECORD, a missing mode to NULLABLE, and numbers to strings", () => {
    const [f] = ok([{ name: "s", type: "STRUCT", fields: [{ name: "n", type: "NUMERIC", precision: 12 }] }]).schema.fields;
    expect(f).toEqual({ name: "s", type: "RECORD", mode: "NULLABLE", fields: [{ name: "n", type: "NUMERIC", mode: "NULLABLE", precision: "12", scale: "0" }] });
  });

  it("drops empty defaults so that equal meanings compare equal", () => {
    const [f] = ok([{ name: "a", type: "STRING", description: "", policyTags: { names: [] }, collation: "", roundingMode: undefined }]).schema.fields;
    expect(f).toEqual({ name: "a", type: "STRING", mode: "NULLABLE" });
  });

  it("reads RANGE, range partitioning and the table-level requirePartitionFilter", () => {
    const { schema } = ok({
      schema: { fields: [{ name: "bucket", type: "INTEGER" }, { name: "valid", type: "RANGE", rangeElementType: { type: "DATE" } }] },
      rangePartitioning: { field: "bucket", range: { start: "0", end: 100, interval: "10" } },
      requirePartitionFilter: true,
    });
    expect(schema.fields[1]!.rangeElementType).toEqual({ type: "DATE" });
    expect(schema.rangePartitioning).toEqual({ field: "bucket", range: { start: "0", end: "100", interval: "10" } });
    expect(schema.requirePartitionFilter).toBe(true);
  });

  it.each<[string, unknown, string, RegExp]>([
    ["malformed JSON", "{\"fields\": [", "/schema", /not valid JSON/],
    ["a number", 42, "/schema", /bq show/],
    ["no columns", { fields: [] }, "/schema/fields", /at least one column/],
    ["missing fields", { description: "x" }, "/schema/fields", /is required/],
    ["an unknown type", [{ name: "a", type: "VARCHAR" }], "/schema/0/type", /not a BigQuery type.*STRING/],
    ["a missing type", [{ name: "a" }], "/schema/0/type", /is required/],
    ["an unknown mode", [{ name: "a", type: "STRING", mode: "OPTIONAL" }], "/schema/0/mode", /NULLABLE, REQUIRED, REPEATED/],
    ["a misspelt key", [{ name: "a", type: "STRING", mdoe: "REQUIRED" }], "/schema/0/mdoe", /unknown property/],
    ["a bad name", [{ name: "a.b", type: "STRING" }], "/schema/0/name", /not a valid column name/],
    ["a reserved name", [{ name: "_PARTITIONTIME", type: "TIMESTAMP" }], "/schema/0/name", /reserved/],
    ["duplicate names", [{ name: "a", type: "STRING" }, { name: "A", type: "INT64" }], "/schema/1/name", /case-insensitive/],
    ["a RECORD without fields", [{ name: "r", type: "RECORD" }], "/schema/0/fields", /required for a RECORD/],
    ["fields on a scalar", [{ name: "a", type: "STRING", fields: [{ name: "b", type: "STRING" }] }], "/schema/0/fields", /only RECORD/],
    ["maxLength on an INTEGER", [{ name: "a", type: "INTEGER", maxLength: "3" }], "/schema/0/maxLength", /only STRING or BYTES/],
    ["a zero maxLength", [{ name: "a", type: "STRING", maxLength: "0" }], "/schema/0/maxLength", /at least 1/],
    ["NUMERIC scale 10", [{ name: "a", type: "NUMERIC", precision: "20", scale: "10" }], "/schema/0/scale", /between 0 and 9/],
    ["NUMERIC precision 31 scale 1", [{ name: "a", type: "NUMERIC", precision: "31", scale: "1" }], "/schema/0/precision", /between 1 and 30/],
    ["scale without precision", [{ name: "a", type: "NUMERIC", scale: "2" }], "/schema/0/scale", /needs a precision/],
    ["RANGE without element type", [{ name: "r", type: "RANGE" }], "/schema/0/rangeElementType", /required for a RANGE/],
    ["a nested problem", [{ name: "c", type: "RECORD", fields: [{ name: "z", type: "TEXT" }] }], "/schema/0/fields/0/type", /not a BigQuery type/],
    ["partitioning on a missing column", { fields: [{ name: "a", type: "DATE" }], timePartitioning: { type: "DAY", field: "b" } }, "/schema/timePartitioning/field", /no top-level column named b/],
    ["partitioning on a STRING", { fields: [{ name: "a", type: "STRING" }], timePartitioning: { type: "DAY", field: "a" } }, "/schema/timePartitioning/field", /DATE, TIMESTAMP, DATETIME/],
    ["HOUR on a DATE", { fields: [{ name: "a", type: "DATE" }], timePartitioning: { type: "HOUR", field: "a" } }, "/schema/timePartitioning/type", /DAY, MONTH or YEAR/],
    ["an unknown partition type", { fields: [{ name: "a", type: "DATE" }], timePartitioning: { type: "WEEK" } }, "/schema/timePartitioning/type", /DAY, HOUR, MONTH, YEAR/],
    ["both partitionings", { fields: [{ name: "a", type: "INTEGER" }], timePartitioning: { type: "DAY" }, rangePartitioning: { field: "a", range: { start: 0, end: 10, interval: 1 } } }, "/schema/rangePartitioning", /not both/],
    ["an empty range", { fields: [{ name: "a", type: "INTEGER" }], rangePartitioning: { field: "a", range: { start: 10, end: 10, interval: 1 } } }, "/schema/rangePartitioning/range/end", /greater than start/],
    ["five clustering columns", { fields: ["a", "b", "c", "d", "e"].map((name) => ({ name, type: "STRING" })), clustering: { fields: ["a", "b", "c", "d", "e"] } }, "/schema/clustering/fields", /at most 4/],
    ["clustering on a RECORD", { fields: [{ name: "r", type: "RECORD", fields: [{ name: "x", type: "STRING" }] }], clustering: { fields: ["r"] } }, "/schema/clustering/fields/0", /RECORD/],
    ["a misspelt timePartitioning", { fields: [{ name: "a", type: "DATE" }], timePartioning: { type: "DAY" } }, "/schema/timePartioning", /did you mean `timePartitioning`/],
    ["requirePartitionFilter without partitions", { fields: [{ name: "a", type: "DATE" }], requirePartitionFilter: true }, "/schema/requirePartitionFilter", /partitioned/],
    ["an unknown primary key column", { fields: [{ name: "a", type: "STRING" }], tableConstraints: { primaryKey: { columns: ["b"] } } }, "/schema/tableConstraints/primaryKey/columns/0", /no top-level column/],
  ])("refuses %s with a pointer and what is expected", (_name, input, pointer, message) => {
    const found = problems(input);
    expect(found.map((p) => p.pointer)).toContain(pointer);
    expect(found.find((p) => p.pointer === pointer)!.message).toMatch(message);
  });

  it("reports every problem at once", () => {
    const found = problems([{ name: "a", type: "VARCHAR" }, { name: "b" }, { type: "STRING" }]);
    expect(found.map((p) => p.pointer)).toEqual(["/schema/0/type", "/schema/1/type", "/schema/2/name"]);
  });

  it("escapes pointer segments (RFC 6901)", () => {
    expect(problems({ fields: [{ name: "a", type: "STRING", "x/y": 1 }] })[0]!.pointer).toBe("/schema/fields/0/x~1y");
  });

  it("refuses RECORDs nested deeper than BigQuery allows", () => {
    let field: Record<string, unknown> = { name: "leaf", type: "STRING" };
    for (let i = 0; i < 16; i++) field = { name: `r${i}`, type: "RECORD", fields: [field] };
    expect(problems([field])[0]!.message).toMatch(/at most 15 levels/);
  });
});
