import { describe, expect, it } from "vitest";
import { buildDomainGraph } from "../src/lineage/domain-graph.ts";
import { readDomain } from "../src/repo/read-domain.ts";
import { fixture, moduleErrorOf } from "./fixtures.ts";

/** Reads and builds the lineage of an error fixture: the error must come from one of the two. */
const errorOf = (name: string) => moduleErrorOf(() => buildDomainGraph(readDomain(fixture(`errors/${name}`))));

describe("error fixtures: every error names the file, the position and what is expected", () => {
  it("MODE_DELTA without keys", () => {
    const e = errorOf("mode-delta-without-keys");
    expect(e.message).toBe(
      "ods/orders/table.yaml:2:12: feed type MODE_DELTA needs keys: the columns the MERGE matches rows on (received: no keys; expected: keys: [column, …] naming top-level columns of schema.json)",
    );
    expect([e.file, e.line, e.column]).toEqual(["ods/orders/table.yaml", 2, 12]);
  });

  it("an unknown feed type", () => {
    const e = errorOf("unknown-feed-type");
    expect(e.message).toBe('ods/orders/table.yaml:2:12: unknown feed_type "WRITE_MERGE" (received: "WRITE_MERGE"; expected: one of WRITE_APPEND, WRITE_TRUNCATE, MODE_DELTA)');
    expect([e.received, e.expected]).toEqual(['"WRITE_MERGE"', "one of WRITE_APPEND, WRITE_TRUNCATE, MODE_DELTA"]);
  });

  it("an unknown key in table.yaml", () => {
    expect(errorOf("unknown-key").message).toBe(
      'ods/orders/table.yaml:4:1: unknown key "feed_typ" (received: "feed_typ"; expected: one of the keys feed_type, keys, schedule, depends_on, description, labels)',
    );
  });

  it("an unknown key in domain.yaml", () => {
    expect(errorOf("unknown-domain-key").message).toBe(
      'domain.yaml:4:1: unknown key "upstreams" (received: "upstreams"; expected: one of the keys namespace, team, project, description, defaults, upstream)',
    );
  });

  it("two tables whose ids collide once sanitized for Terraform", () => {
    const e = errorOf("id-collision");
    expect(e.message).toBe(
      'sales_eu/orders/query.sql: "sales_eu.orders" and "sales.eu_orders" (sales/eu_orders/query.sql) would both become the Terraform resource name "sales_eu_orders": two files would become one resource (received: sales_eu.orders (sales_eu/orders/query.sql), sales.eu_orders (sales/eu_orders/query.sql); expected: ids that stay distinct once every character outside [a-zA-Z0-9_-] becomes \'_\': rename one of the folders)',
    );
    expect([e.file, e.related]).toEqual(["sales_eu/orders/query.sql", ["sales/eu_orders/query.sql"]]);
  });

  it("one dataset in two grouping folders", () => {
    const e = errorOf("dataset-in-two-folders");
    expect(e.message).toBe(
      "staging/finance/revenue/query.sql: dataset finance is in two folders, marts/finance and staging/finance (expected: each dataset in one folder (grouping folders above datasets are free))",
    );
  });

  it("a cycle through SQL references and a depends_on, naming every file", () => {
    const e = errorOf("cycle");
    expect(e.message).toBe(
      "ods/a/query.sql:1:16: dependency cycle: ods.a reads ods.b (ods/a/query.sql:1:16), ods.b reads ods.c (ods/b/query.sql:1:18), ods.c depends on ods.a (ods/c/table.yaml:2:5) (received: ods.a → ods.b → ods.c → ods.a; expected: no cycle: remove one of these references or depends_on entries (ods/a, ods/b, ods/c))",
    );
    expect(e.related).toEqual(["ods/b/query.sql", "ods/c/table.yaml"]);
  });

  it("a malformed schema.json", () => {
    const e = errorOf("malformed-schema");
    expect(e.message).toBe(
      "ods/orders/schema.json:4:5: invalid JSON: expected ',' or ']' after an array element, found \"{\" (expected: the output of `bq show --format=prettyjson project:dataset.table`, its {\"fields\": [...]} or the fields array)",
    );
  });

  it("a table that nothing would ever start", () => {
    expect(errorOf("no-schedule").message).toBe(
      "ods/orders/query.sql: table ods.orders reads no table of this domain or of an upstream dataset, and has no schedule: it would never run (expected: schedule in ods/orders/table.yaml, defaults.schedule in domain.yaml, or a depends_on)",
    );
  });
});
