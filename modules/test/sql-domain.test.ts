// SqlDomain on the fixture repositories, Meshplane target: the synthesized resources,
// asserted precisely, plus one reviewed snapshot per fixture (test/__snapshots__/).
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import { SqlDomain } from "../src/index.ts";
import { fixture, fixtureFile } from "./fixtures.ts";
import { resources, synthWith } from "./support/synth.ts";

const sales = () => synthWith((stack) => new SqlDomain(stack, "sales", { path: fixture("sales") }));

describe("SqlDomain, Meshplane target (sales fixture)", () => {
  const { json, warnings, construct } = sales();
  const tables = resources(json, "meshplane_table");
  const flows = resources(json, "meshplane_flow");
  const flowDoc = (name: string) => parse(flows[name]!["source"] as string) as Record<string, unknown>;

  it("creates one table contract per table and one flow per table and view, named after the table ids", () => {
    expect(Object.keys(tables)).toEqual(["sales_mart_daily_revenue", "sales_mart_top_customers", "sales_ods_2024_targets", "sales_ods_customers", "sales_ods_orders"]);
    expect(Object.keys(flows)).toEqual([
      "sales_mart_daily_revenue",
      "sales_mart_top_customers",
      "sales_mart_v_orders_enriched",
      "sales_ods_2024_targets",
      "sales_ods_customers",
      "sales_ods_orders",
    ]);
    expect(Object.keys(json.resource ?? {}).sort()).toEqual(["meshplane_flow", "meshplane_table"]);
    expect([...construct.flows.keys()]).toContain("sales_ods.2024_targets");
  });

  it("a table contract carries schema.json as written, the feed type, keys, description and labels", () => {
    expect(tables["sales_ods_orders"]).toEqual({
      namespace: "retail.sales",
      dataset: "sales_ods",
      table: "orders",
      schema_json: fixtureFile("sales", "sales_ods/orders/schema.json"),
      feed_type: "MODE_DELTA",
      keys: ["order_id"],
      description: "One row per order, merged daily",
      labels: { pii: "false", tier: "gold" },
    });
    expect(tables["sales_ods_customers"]).toEqual({
      namespace: "retail.sales",
      dataset: "sales_ods",
      table: "customers",
      schema_json: fixtureFile("sales", "sales_ods/customers/schema.json"),
      feed_type: "WRITE_APPEND",
    });
    expect(tables["sales_ods_2024_targets"]!["feed_type"]).toBe("WRITE_TRUNCATE");
    expect(tables["sales_ods_2024_targets"]!["table"]).toBe("2024_targets");
  });

  it("a flow carries the generated YAML with ${ and %{ escaped for Terraform, byte for byte otherwise", () => {
    const orders = flows["sales_ods_orders"]!;
    expect(orders["namespace"]).toBe("retail.sales");
    expect(orders["flow_id"]).toBe("sales_ods.orders");
    const source = orders["source"] as string;
    expect(source).toContain("FORMAT('$${currency}%s', o.currency) AS label,   -- $${ and %%{ must reach BigQuery unchanged");
    expect(source).toContain("REGEXP_REPLACE(o.note, r'%%{[a-z]+}', '') AS note,");
    expect(source).not.toMatch(/(?<![$%])[$%]\{/);
    // Terraform un-escapes $${ and %%{: what the API receives is the SQL as written.
    const unescaped = source.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    const task = (parse(unescaped) as { tasks: { sql: string }[] }).tasks[0]!;
    expect(task.sql).toBe(fixtureFile("sales", "sales_ods/orders/query.sql"));
  });

  it("feed types and keys reach the sql.query task", () => {
    expect(flowDoc("sales_ods_orders")["tasks"]).toEqual([
      expect.objectContaining({ id: "load", type: "sql.query", destinationTable: "sales_ods.orders", writeDisposition: "MODE_DELTA", keys: ["order_id"] }),
    ]);
    expect(flowDoc("sales_ods_customers")["tasks"]).toEqual([expect.objectContaining({ writeDisposition: "WRITE_APPEND" })]);
    expect((flowDoc("sales_ods_customers")["tasks"] as object[])[0]).not.toHaveProperty("keys");
    expect(flowDoc("sales_mart_daily_revenue")["tasks"]).toEqual([expect.objectContaining({ writeDisposition: "WRITE_TRUNCATE" })]);
  });

  it("triggers follow the lineage: schedules for tables with no upstream, flow triggers otherwise (looking through views, across domains)", () => {
    expect(flowDoc("sales_ods_orders")["triggers"]).toEqual([{ id: "schedule", type: "schedule", cron: "0 3 * * *", timezone: "Europe/Paris" }]);
    expect(flowDoc("sales_ods_customers")["triggers"]).toEqual([{ id: "schedule", type: "schedule", cron: "30 2 * * *", timezone: "Europe/Paris" }]);
    // Named only in comments and a string literal: no dependency, so the default schedule.
    expect(flowDoc("sales_ods_2024_targets")["triggers"]).toEqual([{ id: "schedule", type: "schedule", cron: "0 3 * * *", timezone: "Europe/Paris" }]);
    expect(flowDoc("sales_mart_daily_revenue")["triggers"]).toEqual([
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
    ]);
    expect(flowDoc("sales_mart_top_customers")["triggers"]).toEqual([
      {
        id: "upstream",
        type: "flow",
        upstream: [
          { namespace: "retail.sales", flowId: "sales_ods.customers" },
          { namespace: "retail.sales", flowId: "sales_ods.orders" },
          { namespace: "retail.supply", flowId: "retail_supply.suppliers" },
        ],
        states: ["SUCCESS"],
      },
    ]);
  });

  it("a view is a flow that creates it, with no trigger and no table contract", () => {
    const view = flowDoc("sales_mart_v_orders_enriched");
    expect(view["tasks"]).toEqual([{ id: "create_view", type: "sql.query", sql: `CREATE OR REPLACE VIEW \`sales_mart.v_orders_enriched\` AS\n${fixtureFile("sales", "marts/sales_mart/v_orders_enriched/view.sql")}` }]);
    expect(view).not.toHaveProperty("triggers");
    expect(tables).not.toHaveProperty("sales_mart_v_orders_enriched");
  });

  it("a flow depends on its own table contract and on the flows of what it reads in the domain", () => {
    expect(flows["sales_ods_orders"]!["depends_on"]).toEqual(["meshplane_table.sales_ods_orders"]);
    expect(flows["sales_mart_daily_revenue"]!["depends_on"]).toEqual([
      "meshplane_table.sales_mart_daily_revenue",
      "meshplane_flow.sales_ods_2024_targets",
      "meshplane_flow.sales_ods_customers",
      "meshplane_flow.sales_ods_orders",
    ]);
    // Through the view's flow, which itself waits for the tables the view reads.
    expect(flows["sales_mart_top_customers"]!["depends_on"]).toEqual(["meshplane_table.sales_mart_top_customers", "meshplane_flow.sales_mart_v_orders_enriched"]);
    expect(flows["sales_mart_v_orders_enriched"]!["depends_on"]).toEqual(["meshplane_flow.sales_ods_customers", "meshplane_flow.sales_ods_orders"]);
  });

  it("lists the cross-domain grants it needs as an output and a warning naming the producer namespace", () => {
    expect(json.output).toEqual({
      required_grants: {
        description: "Trigger grants that producer namespaces must create for retail.sales's cross-domain triggers",
        value: [
          {
            upstream_namespace: "retail.supply",
            downstream_namespace: "retail.sales",
            kinds: ["trigger"],
            needed_by: [
              { flow_id: "sales_mart.daily_revenue", upstream_flow_id: "retail_supply.stock_levels" },
              { flow_id: "sales_mart.top_customers", upstream_flow_id: "retail_supply.suppliers" },
            ],
          },
        ],
      },
    });
    expect(warnings).toEqual([
      'retail.sales triggers on flows of retail.supply (sales_mart.daily_revenue ← retail_supply.stock_levels, sales_mart.top_customers ← retail_supply.suppliers): a maintainer of retail.supply must grant it (meshplane_trigger_grant { upstream_namespace = "retail.supply", downstream_namespace = "retail.sales", kinds = ["trigger"] }), or the control plane refuses these flows; see the output required_grants',
    ]);
  });

  it("matches the reviewed snapshot", async () => {
    await expect(sales().text).toMatchFileSnapshot("__snapshots__/sales.meshplane.tf.json");
  });
});

describe("SqlDomain, other fixtures and props", () => {
  it("supply: no upstream, so no grants and an empty required_grants output", async () => {
    const { json, warnings, text } = synthWith((stack) => new SqlDomain(stack, "supply", { path: fixture("supply") }));
    expect(Object.keys(resources(json, "meshplane_flow"))).toEqual(["retail_supply_stock_levels", "retail_supply_suppliers"]);
    expect(json.output?.["required_grants"]?.value).toEqual([]);
    expect(warnings).toEqual([]);
    await expect(text).toMatchFileSnapshot("__snapshots__/supply.meshplane.tf.json");
  });

  it("props override domain.yaml (namespace, schedule, feed type, time zone)", () => {
    const { json } = synthWith((stack) =>
      new SqlDomain(stack, "sales", { path: fixture("sales"), namespace: "emea.sales", defaultSchedule: "15 1 * * *", defaultFeedType: "WRITE_APPEND", timezone: "UTC" }),
    );
    const flows = resources(json, "meshplane_flow");
    const targets = parse(flows["sales_ods_2024_targets"]!["source"] as string) as { namespace: string; tasks: { writeDisposition: string }[]; triggers: unknown[] };
    expect(targets.namespace).toBe("emea.sales");
    expect(targets.tasks[0]!.writeDisposition).toBe("WRITE_APPEND");
    expect(targets.triggers).toEqual([{ id: "schedule", type: "schedule", cron: "15 1 * * *", timezone: "UTC" }]);
    expect(resources(json, "meshplane_table")["sales_ods_orders"]!["namespace"]).toBe("emea.sales");
    expect(flows["sales_ods_orders"]!["namespace"]).toBe("emea.sales");
  });

  it("resourcePrefix separates two domains in one stack; the output is prefixed too", () => {
    const { json } = synthWith((stack) => {
      new SqlDomain(stack, "sales", { path: fixture("sales") });
      return new SqlDomain(stack, "sales-copy", { path: fixture("sales"), namespace: "emea.sales", resourcePrefix: "emea_" });
    });
    const flows = Object.keys(resources(json, "meshplane_flow"));
    expect(flows).toHaveLength(12);
    expect(flows).toContain("emea_sales_ods_orders");
    expect(Object.keys(json.output ?? {})).toEqual(["emea_required_grants", "required_grants"]);
    expect(resources(json, "meshplane_flow")["emea_sales_mart_daily_revenue"]!["depends_on"]).toContain("meshplane_flow.emea_sales_ods_orders");
  });

  it("an explicit provider is set on every resource", () => {
    const { json } = synthWith((stack) => {
      const eu = new MeshplaneProvider(stack, "eu", { alias: "eu", endpoint: "https://eu.example.com" });
      return new SqlDomain(stack, "sales", { path: fixture("supply"), provider: eu });
    });
    for (const type of ["meshplane_table", "meshplane_flow"]) {
      for (const r of Object.values(resources(json, type))) expect(r["provider"]).toBe("meshplane.eu");
    }
  });
});
