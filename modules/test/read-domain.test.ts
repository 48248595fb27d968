import { describe, expect, it } from "vitest";
import { readDomain } from "../src/repo/read-domain.ts";
import { fixture, fixtureFile, moduleErrorOf } from "./fixtures.ts";

describe("readDomain: the sales fixture", () => {
  const domain = readDomain(fixture("sales"));
  const table = (id: string) => domain.tables.find((t) => t.id === id)!;

  it("reads domain.yaml", () => {
    expect({ ...domain, tables: undefined, views: undefined, root: undefined }).toEqual({
      domainFile: "domain.yaml",
      namespace: "retail.sales",
      team: "sales",
      project: "acme-sales-prod",
      description: "Orders, customers and revenue",
      defaults: { schedule: "0 3 * * *", feedType: "WRITE_TRUNCATE", location: "EU", timezone: "Europe/Paris" },
      upstream: [{ dataset: "retail_supply", namespace: "retail.supply", location: { file: "domain.yaml", line: 12, column: 18 } }],
    });
  });

  it("finds tables in nested datasets and views, sorted by id, skipping folders without SQL", () => {
    expect(domain.tables.map((t) => [t.id, t.folder, t.resourceName])).toEqual([
      ["sales_mart.daily_revenue", "marts/sales_mart/daily_revenue", "sales_mart_daily_revenue"],
      ["sales_mart.top_customers", "marts/sales_mart/top_customers", "sales_mart_top_customers"],
      ["sales_ods.2024_targets", "sales_ods/2024_targets", "sales_ods_2024_targets"],
      ["sales_ods.customers", "sales_ods/customers", "sales_ods_customers"],
      ["sales_ods.orders", "sales_ods/orders", "sales_ods_orders"],
    ]);
    expect(domain.views.map((v) => [v.id, v.folder, v.resourceName])).toEqual([["sales_mart.v_orders_enriched", "marts/sales_mart/v_orders_enriched", "sales_mart_v_orders_enriched"]]);
  });

  it("keeps every SQL file byte for byte, ${ and %{ included", () => {
    for (const o of [...domain.tables, ...domain.views]) expect(o.sql).toBe(fixtureFile("sales", o.sqlFile));
    expect(table("sales_ods.orders").sql).toContain("FORMAT('${currency}%s', o.currency)");
    expect(table("sales_ods.orders").sql).toContain("r'%{[a-z]+}'");
  });

  it("reads a MODE_DELTA table with keys, labels and a full bq show schema", () => {
    const { sql, schema, ...rest } = table("sales_ods.orders");
    expect(rest).toEqual({
      kind: "table",
      id: "sales_ods.orders",
      dataset: "sales_ods",
      name: "orders",
      folder: "sales_ods/orders",
      resourceName: "sales_ods_orders",
      sqlFile: "sales_ods/orders/query.sql",
      configFile: "sales_ods/orders/table.yaml",
      dependsOn: [],
      description: "One row per order, merged daily",
      labels: { pii: "false", tier: "gold" },
      schemaFile: "sales_ods/orders/schema.json",
      feedType: "MODE_DELTA",
      feedTypeFrom: { file: "sales_ods/orders/table.yaml", line: 1, column: 12 },
      keys: ["order_id"],
    });
    expect(sql.startsWith("-- Orders of the day")).toBe(true);
    expect(schema).toEqual({
      form: "table-resource",
      description: "Orders (from bq show)",
      fields: [
        { mode: "REQUIRED", name: "order_id", type: "STRING", description: "Order number" },
        { mode: "NULLABLE", name: "customer_id", type: "STRING" },
        { mode: "NULLABLE", name: "amount", type: "NUMERIC" },
        { mode: "NULLABLE", name: "label", type: "STRING" },
        { mode: "NULLABLE", name: "note", type: "STRING" },
        { mode: "NULLABLE", name: "order_date", type: "DATE" },
      ],
      timePartitioning: { field: "order_date", type: "DAY" },
      clustering: { fields: ["customer_id"] },
    });
  });

  it("reads a WRITE_APPEND table with its own schedule and a {fields} schema", () => {
    const t = table("sales_ods.customers");
    expect([t.feedType, t.feedTypeFrom, t.schedule, t.scheduleFrom, t.schema.form, t.keys]).toEqual([
      "WRITE_APPEND",
      { file: "sales_ods/customers/table.yaml", line: 1, column: 12 },
      "30 2 * * *",
      { file: "sales_ods/customers/table.yaml", line: 2, column: 11 },
      "schema-object",
      [],
    ]);
  });

  it("gives a table without table.yaml the domain's feed type (WRITE_TRUNCATE), and accepts a name starting with a digit", () => {
    const t = table("sales_ods.2024_targets");
    expect([t.name, t.feedType, t.feedTypeFrom, t.configFile, t.schedule, t.schema.form]).toEqual([
      "2024_targets",
      "WRITE_TRUNCATE",
      { file: "domain.yaml", line: 8, column: 14 },
      undefined,
      undefined,
      "fields-array",
    ]);
  });

  it("reads depends_on with positions, and nested RECORD columns", () => {
    const t = table("sales_mart.top_customers");
    expect(t.dependsOn).toEqual([{ dataset: "retail_supply", table: "suppliers", location: { file: "marts/sales_mart/top_customers/table.yaml", line: 3, column: 5 } }]);
    expect(t.schema.fields[3]).toEqual({
      name: "details",
      type: "RECORD",
      mode: "REPEATED",
      fields: [
        { name: "key", type: "STRING" },
        { name: "value", type: "STRING" },
      ],
    });
  });

  it("reads a view with its description", () => {
    const { sql, ...view } = domain.views[0]!;
    expect(view).toEqual({
      kind: "view",
      id: "sales_mart.v_orders_enriched",
      dataset: "sales_mart",
      name: "v_orders_enriched",
      folder: "marts/sales_mart/v_orders_enriched",
      resourceName: "sales_mart_v_orders_enriched",
      sqlFile: "marts/sales_mart/v_orders_enriched/view.sql",
      configFile: "marts/sales_mart/v_orders_enriched/table.yaml",
      dependsOn: [],
      description: "Orders with the customer's country",
      labels: {},
    });
    expect(sql).toBe("SELECT o.*, c.country\nFROM sales_ods.orders o\nJOIN sales_ods.customers c USING (customer_id)\n");
  });

  it("is deterministic", () => {
    expect(readDomain(fixture("sales"))).toEqual(domain);
  });
});

describe("readDomain: overrides (the SqlDomain props)", () => {
  it("win over domain.yaml, defaults merged key by key", () => {
    const d = readDomain(fixture("sales"), { overrides: { namespace: "retail.sales_eu", project: "acme-sales-eu", defaults: { timezone: "UTC" }, upstream: {} } });
    expect([d.namespace, d.team, d.project, d.defaults, d.upstream]).toEqual([
      "retail.sales_eu",
      "sales",
      "acme-sales-eu",
      { schedule: "0 3 * * *", feedType: "WRITE_TRUNCATE", location: "EU", timezone: "UTC" },
      [],
    ]);
  });

  it("are validated like domain.yaml, and their errors name the props", () => {
    const error = moduleErrorOf(() => readDomain(fixture("sales"), { overrides: { namespace: "Retail Sales" } }));
    expect(error.message).toBe("SqlDomain props: invalid namespace (expected: a namespace that must be dot-separated segments of [a-z0-9_], such as `retail.sales`)");
  });

  it("a feed type given in props is no longer located in domain.yaml", () => {
    const d = readDomain(fixture("sales"), { overrides: { defaults: { feedType: "WRITE_APPEND" } } });
    expect(d.tables.find((t) => t.id === "sales_mart.daily_revenue")).toMatchObject({ feedType: "WRITE_APPEND" });
    expect(d.tables.find((t) => t.id === "sales_mart.daily_revenue")!.feedTypeFrom).toBeUndefined();
  });
});
