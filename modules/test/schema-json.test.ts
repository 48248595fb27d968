import { describe, expect, it } from "vitest";
import { JsonSyntaxError, scanJson } from "../src/repo/json-scan.ts";
import { parseSchemaJson } from "../src/repo/schema-json.ts";
import { moduleErrorOf } from "./fixtures.ts";

const message = (text: string) => moduleErrorOf(() => parseSchemaJson("d/t/schema.json", text)).message;

describe("scanJson", () => {
  it("parses like JSON.parse and records where each value starts", () => {
    const text = '{"a": [1, {"b/c": "x"}], "d~": null}';
    const scan = scanJson(text);
    expect(scan.value).toEqual(JSON.parse(text));
    expect(Object.fromEntries(scan.positions)).toEqual({ "": 0, "/a": 6, "/a/0": 7, "/a/1": 10, "/a/1/b~1c": 18, "/d~0": 31 });
  });

  it.each([
    ['{"a": 1,}', "trailing comma before '}'", 7],
    ["[1 2]", "expected ',' or ']' after an array element, found \"2\"", 3],
    ['{"a" 1}', "expected ':' after a property name, found \"1\"", 5],
    ["{a: 1}", 'expected a "quoted" property name, found "a"', 1],
    ['{"a": tru}', 'unexpected "t": expected a JSON value (object, array, string, number, true, false or null)', 6],
    ['{"a": 1} x', 'unexpected "x" after the end of the JSON value', 9],
    ['{"a": "b', "unterminated string", 6],
    ['{"a": 1, "a": 2}', 'duplicate property "a"', 9],
    ['"\\x"', "invalid escape \\x in a string", 1],
    ['{"a":', "unexpected end of file", 5],
    ["", "unexpected end of file", 0],
    ["01", 'unexpected "1" after the end of the JSON value', 1],
  ])("%j: %s at %d", (text, problem, offset) => {
    try {
      scanJson(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      expect([(error as JsonSyntaxError).problem, (error as JsonSyntaxError).offset]).toEqual([problem, offset]);
    }
  });
});

describe("parseSchemaJson", () => {
  const fields = [{ name: "id", type: "STRING", mode: "REQUIRED" }, { name: "day", type: "DATE" }, { name: "n", type: "INTEGER" }];

  it("accepts the three shapes bq users have", () => {
    expect(parseSchemaJson("f", JSON.stringify(fields))).toEqual({ form: "fields-array", fields });
    expect(parseSchemaJson("f", JSON.stringify({ fields }))).toEqual({ form: "schema-object", fields });
    expect(
      parseSchemaJson(
        "f",
        JSON.stringify({
          kind: "bigquery#table",
          schema: { fields },
          description: "d",
          labels: { a: "b" },
          timePartitioning: { type: "DAY", field: "day", expirationMs: "1000" },
          rangePartitioning: { field: "n", range: { start: "0", end: "100", interval: "10" } },
          clustering: { fields: ["id"] },
          requirePartitionFilter: true,
          numRows: "12",
        }),
      ),
    ).toEqual({
      form: "table-resource",
      fields,
      description: "d",
      labels: { a: "b" },
      timePartitioning: { type: "DAY", field: "day", expirationMs: "1000" },
      rangePartitioning: { field: "n", range: { start: "0", end: "100", interval: "10" } },
      clustering: { fields: ["id"] },
      requirePartitionFilter: true,
    });
  });

  it("keeps every key bq printed on a column, and strips a byte-order mark", () => {
    const withTags = [{ name: "email", type: "STRING", policyTags: { names: ["projects/p/taxonomies/1/policyTags/2"] }, maxLength: "320" }];
    expect(parseSchemaJson("f", `\ufeff${JSON.stringify(withTags)}`).fields).toEqual(withTags);
  });

  it("names file, line and column of a syntax error", () => {
    expect(message('[\n  {"name": "id", "type": "STRING"},\n]')).toBe(
      "d/t/schema.json:2:35: invalid JSON: trailing comma before ']' (expected: the output of `bq show --format=prettyjson project:dataset.table`, its {\"fields\": [...]} or the fields array)",
    );
  });

  it.each([
    ['{"schema": {"fieldz": []}}', 'd/t/schema.json:1:12: "schema" has no "fields" array (received: {"fieldz":[]}; expected: "schema": {"fields": [...]})'],
    ['{"tableReference": {}}', 'd/t/schema.json:1:1: no "fields" array and no "schema" object (received: ["tableReference"]; expected: the output of `bq show --format=prettyjson project:dataset.table`, its {"fields": [...]} or the fields array)'],
    ["[]", "d/t/schema.json:1:1: a table needs at least one column (received: []; expected: a non-empty fields array)"],
    ['[\n {"name": "a", "type": "VARCHAR"}]', 'd/t/schema.json:2:24: invalid type for column "a" (received: "VARCHAR"; expected: one of STRING, BYTES, INTEGER, INT64, FLOAT, FLOAT64, NUMERIC, BIGNUMERIC, BOOLEAN, BOOL, TIMESTAMP, DATE, TIME, DATETIME, GEOGRAPHY, JSON, INTERVAL, RANGE, RECORD, STRUCT)'],
    ['[{"name": "a", "type": "STRING", "mode": "OPTIONAL"}]', 'd/t/schema.json:1:42: invalid mode for column "a" (received: "OPTIONAL"; expected: NULLABLE, REQUIRED, REPEATED)'],
    ['[{"name": "a", "type": "STRING"}, {"name": "A", "type": "STRING"}]', 'd/t/schema.json:1:44: duplicate column "A" (BigQuery column names ignore case) (received: "A"; expected: a name different from "a")'],
    ['[{"type": "STRING"}]', "d/t/schema.json:1:2: invalid column name (received: nothing; expected: a column name as a non-empty string)"],
    ['[{"name": "r", "type": "RECORD"}]', 'd/t/schema.json:1:2: RECORD column "r" has no "fields" (received: nothing; expected: a fields array)'],
    ['[{"name": "r", "type": "RECORD", "fields": [{"name": "x", "type": "NOPE"}]}]', 'd/t/schema.json:1:67: invalid type for column "x" (received: "NOPE"; expected: one of STRING, BYTES, INTEGER, INT64, FLOAT, FLOAT64, NUMERIC, BIGNUMERIC, BOOLEAN, BOOL, TIMESTAMP, DATE, TIME, DATETIME, GEOGRAPHY, JSON, INTERVAL, RANGE, RECORD, STRUCT)'],
    ['[{"name": "s", "type": "STRING", "fields": []}]', 'd/t/schema.json:1:44: column "s" of type STRING cannot have fields (received: "STRING"; expected: type RECORD for a column with fields)'],
    ['{"schema": {"fields": [{"name": "a", "type": "STRING"}]}, "timePartitioning": {"type": "DAY", "field": "a"}}', 'd/t/schema.json:1:104: timePartitioning.field column "a" has type STRING (received: "STRING"; expected: one of DATE, TIMESTAMP, DATETIME)'],
    ['{"schema": {"fields": [{"name": "a", "type": "STRING"}]}, "timePartitioning": {"type": "WEEK"}}', 'd/t/schema.json:1:88: invalid timePartitioning type (received: "WEEK"; expected: DAY, HOUR, MONTH or YEAR)'],
    ['{"schema": {"fields": [{"name": "a", "type": "STRING"}]}, "clustering": {"fields": ["b"]}}', 'd/t/schema.json:1:85: clustering field names no top-level column (received: "b"; expected: one of a)'],
  ])("%s", (text, expected) => {
    expect(message(text)).toBe(expected);
  });
});
