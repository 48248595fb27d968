// Errors reach the user of SqlDomain as ConstructErrors: file (under the path prop, so it
// opens from where synth runs), line and column, what was expected, and the construct.
import { relative } from "node:path";
import { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { ConstructError, ModuleError, SqlDomain, type SqlDomainProps } from "../src/index.ts";
import { fixture } from "./fixtures.ts";
import { synthWith, testApp } from "./support/synth.ts";

/** The path prop as a user writes it: relative to the working directory. */
const pathOf = (name: string) => relative(process.cwd(), fixture(name)).split("\\").join("/");

function constructErrorOf(props: SqlDomainProps, id = "sales"): ConstructError {
  const stack = new TerraformStack(testApp(), "test");
  try {
    new SqlDomain(stack, id, props);
  } catch (error) {
    if (error instanceof ConstructError) return error;
    throw error;
  }
  throw new Error("expected a ConstructError, nothing was thrown");
}

const fixtureError = (name: string) => constructErrorOf({ path: pathOf(`errors/${name}`) });

describe("SqlDomain errors name the file, line and construct", () => {
  it("MODE_DELTA without keys", () => {
    const e = fixtureError("mode-delta-without-keys");
    const file = `${pathOf("errors/mode-delta-without-keys")}/ods/orders/table.yaml`;
    expect(e.message).toBe(
      `${file}:2:12: feed type MODE_DELTA needs keys: the columns the MERGE matches rows on (received: no keys; expected: keys: [column, …] naming top-level columns of schema.json) [SqlDomain test/sales]`,
    );
    expect([e.file, e.line, e.column, e.constructPath]).toEqual([file, 2, 12, "test/sales"]);
    expect(e).toBeInstanceOf(ModuleError);
  });

  it.each([
    ["unknown-feed-type", "ods/orders/table.yaml:2:12: unknown feed_type \"WRITE_MERGE\""],
    ["unknown-key", "ods/orders/table.yaml:4:1: unknown key \"feed_typ\""],
    ["unknown-domain-key", "domain.yaml:4:1: unknown key \"upstreams\""],
    ["malformed-schema", "ods/orders/schema.json:4:5: invalid JSON"],
    ["cycle", "ods/a/query.sql:1:16: dependency cycle: ods.a reads ods.b (ods/a/query.sql:1:16), ods.b reads ods.c (ods/b/query.sql:1:18), ods.c depends on ods.a (ods/c/table.yaml:2:5)"],
    ["id-collision", 'sales_eu/orders/query.sql: "sales_eu.orders" and "sales.eu_orders" (sales/eu_orders/query.sql) would both become the Terraform resource name "sales_eu_orders"'],
    ["no-schedule", "ods/orders/query.sql: table ods.orders reads no table of this domain or of an upstream dataset, and has no schedule"],
    ["dataset-in-two-folders", "staging/finance/revenue/query.sql: dataset finance is in two folders"],
    // Escaping ${ does not hide CDKTF's token marker from synth: refused with its line.
    ["cdktf-token", "ods/a/query.sql:2:9: the text contains ${TfToken[, the marker CDKTF uses for its tokens"],
  ])("%s", (name, start) => {
    const e = fixtureError(name);
    expect(e.message.startsWith(`${pathOf(`errors/${name}`)}/${start}`), e.message).toBe(true);
    expect(e.message.endsWith("[SqlDomain test/sales]")).toBe(true);
  });

  it("the cycle's other files are under the path prop too", () => {
    const root = pathOf("errors/cycle");
    expect(fixtureError("cycle").related).toEqual([`${root}/ods/b/query.sql`, `${root}/ods/c/table.yaml`]);
  });

  it("a missing domain.yaml", () => {
    const e = constructErrorOf({ path: pathOf("errors") });
    expect(e.message).toBe(`${pathOf("errors")}/domain.yaml: no domain.yaml at the root of the domain (expected: namespace in domain.yaml (or the namespace prop of SqlDomain)) [SqlDomain test/sales]`);
  });

  it("invalid props name the props", () => {
    expect(constructErrorOf({ path: pathOf("sales"), namespace: "Retail.Sales" }).message).toMatch(/^SqlDomain props: invalid namespace \(expected: a namespace/);
    expect(constructErrorOf({ path: pathOf("sales"), target: "aws" as never }).message).toBe('SqlDomain props: invalid target (received: "aws"; expected: meshplane, google or both) [SqlDomain test/sales]');
    expect(constructErrorOf({ path: pathOf("sales"), resourcePrefix: "1x" }).message).toMatch(/^SqlDomain props: invalid resourcePrefix/);
  });

  it("two domains that would share Terraform names in one stack: an error, never one resource", () => {
    let error: unknown;
    try {
      synthWith((stack) => {
        new SqlDomain(stack, "sales", { path: pathOf("sales") });
        return new SqlDomain(stack, "sales-again", { path: pathOf("sales") });
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConstructError);
    expect((error as Error).message).toBe(
      `test/sales-again (${pathOf("sales")}/marts/sales_mart/daily_revenue/schema.json): the Terraform address meshplane_table.sales_mart_daily_revenue is already used by test/sales (${pathOf("sales")}/marts/sales_mart/daily_revenue/schema.json): two resources would become one (received: meshplane_table.sales_mart_daily_revenue; expected: distinct names: give one of the constructs a resourcePrefix) [SqlDomain test/sales-again]`,
    );
  });

  it("lineage warnings (a table name without dataset) become synth warnings with file:line", () => {
    const { warnings } = synthWith((stack) => new SqlDomain(stack, "lint", { path: pathOf("unqualified") }));
    expect(warnings).toEqual([`${pathOf("unqualified")}/ods/report/query.sql:2:6: orders_raw has no dataset: lineage cannot resolve it (write dataset.orders_raw)`]);
  });
});
