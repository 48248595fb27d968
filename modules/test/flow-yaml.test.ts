import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { domainFlows, flowYaml } from "../src/flow/flow-yaml.ts";
import { buildDomainGraph } from "../src/lineage/domain-graph.ts";
import { readDomain } from "../src/repo/read-domain.ts";
import { fixture, fixtureFile } from "./fixtures.ts";

const domain = readDomain(fixture("sales"));
const flows = domainFlows(domain, buildDomainGraph(domain));
const flow = (id: string) => flows.find((f) => f.id === id)!;

describe("flow YAML of the sales fixture", () => {
  it("one flow per table and view, sorted by id, named like their resources", () => {
    expect(flows.map((f) => [f.id, f.kind, f.resourceName, f.sqlFile])).toEqual([
      ["sales_mart.daily_revenue", "table", "sales_mart_daily_revenue", "marts/sales_mart/daily_revenue/query.sql"],
      ["sales_mart.top_customers", "table", "sales_mart_top_customers", "marts/sales_mart/top_customers/query.sql"],
      ["sales_mart.v_orders_enriched", "view", "sales_mart_v_orders_enriched", "marts/sales_mart/v_orders_enriched/view.sql"],
      ["sales_ods.2024_targets", "table", "sales_ods_2024_targets", "sales_ods/2024_targets/query.sql"],
      ["sales_ods.customers", "table", "sales_ods_customers", "sales_ods/customers/query.sql"],
      ["sales_ods.orders", "table", "sales_ods_orders", "sales_ods/orders/query.sql"],
    ]);
  });

  it("a MODE_DELTA table on the domain schedule: keys, labels, SQL with ${ and %{ unchanged", () => {
    const sql = fixtureFile("sales", "sales_ods/orders/query.sql");
    expect(flow("sales_ods.orders").yaml).toBe(
      [
        "id: sales_ods.orders",
        "namespace: retail.sales",
        "description: One row per order, merged daily",
        "labels:",
        '  pii: "false"',
        "  tier: gold",
        "tasks:",
        "  - id: load",
        "    type: sql.query",
        "    sql: |",
        ...sql.trimEnd().split("\n").map((l) => `      ${l}`),
        "    destinationTable: sales_ods.orders",
        "    writeDisposition: MODE_DELTA",
        "    keys:",
        "      - order_id",
        "triggers:",
        "  - id: schedule",
        "    type: schedule",
        "    cron: 0 3 * * *",
        "    timezone: Europe/Paris",
        "",
      ].join("\n"),
    );
    expect(flow("sales_ods.orders").yaml).toContain("FORMAT('${currency}%s', o.currency)");
  });

  it("a WRITE_APPEND table on its own schedule", () => {
    expect(flow("sales_ods.customers").document).toEqual({
      id: "sales_ods.customers",
      namespace: "retail.sales",
      tasks: [{ id: "load", type: "sql.query", sql: fixtureFile("sales", "sales_ods/customers/query.sql"), destinationTable: "sales_ods.customers", writeDisposition: "WRITE_APPEND" }],
      triggers: [{ id: "schedule", type: "schedule", cron: "30 2 * * *", timezone: "Europe/Paris" }],
    });
  });

  it("a WRITE_TRUNCATE mart triggered by its upstream flows, across namespaces too, sorted", () => {
    const doc = flow("sales_mart.daily_revenue").document;
    expect({ ...doc, tasks: undefined }).toEqual({
      id: "sales_mart.daily_revenue",
      namespace: "retail.sales",
      description: "Revenue per day and country",
      labels: { owner: "sales", tier: "gold" },
      triggers: [
        {
          id: "upstream",
          type: "flow",
          upstream: [
            { namespace: "retail.sales", flowId: "sales_ods.2024_targets" },
            { namespace: "retail.sales", flowId: "sales_ods.customers" },
            { namespace: "retail.sales", flowId: "sales_ods.orders" },
            { namespace: "retail.supply", flowId: "retail_supply.stock_levels" },
          ],
          states: ["SUCCESS"],
        },
      ],
    });
    expect(doc.tasks).toEqual([{ id: "load", type: "sql.query", sql: fixtureFile("sales", "marts/sales_mart/daily_revenue/query.sql"), destinationTable: "sales_mart.daily_revenue", writeDisposition: "WRITE_TRUNCATE" }]);
    expect(flow("sales_mart.daily_revenue").yaml.split("triggers:\n")[1]).toBe(
      [
        "  - id: upstream",
        "    type: flow",
        "    upstream:",
        "      - namespace: retail.sales",
        "        flowId: sales_ods.2024_targets",
        "      - namespace: retail.sales",
        "        flowId: sales_ods.customers",
        "      - namespace: retail.sales",
        "        flowId: sales_ods.orders",
        "      - namespace: retail.supply",
        "        flowId: retail_supply.stock_levels",
        "    states:",
        "      - SUCCESS",
        "",
      ].join("\n"),
    );
  });

  it("a view: CREATE OR REPLACE VIEW then view.sql, no write disposition, no trigger", () => {
    expect(flow("sales_mart.v_orders_enriched").document).toEqual({
      id: "sales_mart.v_orders_enriched",
      namespace: "retail.sales",
      description: "Orders with the customer's country",
      tasks: [{ id: "create_view", type: "sql.query", sql: `CREATE OR REPLACE VIEW \`sales_mart.v_orders_enriched\` AS\n${fixtureFile("sales", "marts/sales_mart/v_orders_enriched/view.sql")}` }],
    });
  });

  it("every flow parses back to its document, SQL byte for byte", () => {
    for (const f of flows) {
      expect(parse(f.yaml)).toEqual(JSON.parse(JSON.stringify(f.document)));
      const sqlFile = fixtureFile("sales", f.sqlFile);
      expect((parse(f.yaml) as { tasks: { sql: string }[] }).tasks[0]!.sql.endsWith(sqlFile)).toBe(true);
    }
  });

  it("is deterministic", () => {
    const again = readDomain(fixture("sales"));
    expect(domainFlows(again, buildDomainGraph(again)).map((f) => f.yaml)).toEqual(flows.map((f) => f.yaml));
  });
});

describe("flowYaml keeps awkward SQL byte for byte", () => {
  const awkward = [
    "SELECT 1",
    "SELECT 1\n",
    "SELECT 1\n\n\n",
    "  SELECT 1 -- leading spaces\n",
    "SELECT 'trailing spaces'   \nFROM t  \n",
    "SELECT\t1\n\tFROM t",
    "SELECT 1\r\nFROM t\r\n",
    "SELECT '${a}', '%{b}', '$${c}' # not a YAML comment",
    "- SELECT 1: not a list, not a map",
    "---\nSELECT 1\n...",
    "SELECT 'é ✓ 𝄞', '\u00a0', 'x\u2028y'",
    "SELECT 'a\u0000b'",
    "@daily",
    "",
  ];
  it.each(awkward.map((s) => [JSON.stringify(s), s]))("%s", (_name, sql) => {
    const text = flowYaml({ id: "d.t", namespace: "n", tasks: [{ id: "load", type: "sql.query", sql }] });
    expect((parse(text) as { tasks: { sql: string }[] }).tasks[0]!.sql).toBe(sql);
  });
});
