// SqlDomain's Google target. The hashicorp/google provider cannot be downloaded on this
// machine, so these tests check the synthesized JSON only: no `terraform validate` and
// no plan against the real provider (see README, "The Google target").
import { describe, expect, it } from "vitest";
import { SqlDomain } from "../src/index.ts";
import { fixture } from "./fixtures.ts";
import { resources, synthWith } from "./support/synth.ts";

const warehouse = () => synthWith((stack) => new SqlDomain(stack, "analytics", { path: fixture("warehouse"), target: "google" }), { google: true });

describe("SqlDomain, Google target (warehouse fixture)", () => {
  const { json, warnings } = warehouse();
  const bq = resources(json, "google_bigquery_table");

  it("creates only google_bigquery_table resources, and no grants output", () => {
    expect(Object.keys(json.resource ?? {})).toEqual(["google_bigquery_table"]);
    expect(Object.keys(bq)).toEqual(["analytics_customer_buckets", "analytics_sessions", "analytics_v_daily_sessions", "analytics_v_top_countries"]);
    expect(json.output).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(json.terraform?.required_providers?.["google"]).toEqual({ source: "hashicorp/google", version: ">= 5.0" });
  });

  it("a table: fields with modes, nested records and descriptions; time partitioning, clustering, labels, escaping", () => {
    const sessions = bq["analytics_sessions"]!;
    expect(sessions).toEqual({
      project: "acme-analytics",
      dataset_id: "analytics",
      table_id: "sessions",
      description: "Web sessions; $${ and %%{ in a description stay literal",
      labels: { env: "prod", tier: "gold" },
      schema: expect.any(String),
      time_partitioning: { type: "DAY", field: "session_date", expiration_ms: 7776000000 },
      clustering: ["country", "device"],
      require_partition_filter: true,
    });
    expect(JSON.parse((sessions["schema"] as string).replace("%%{", "%{"))).toEqual([
      { name: "session_id", type: "STRING", mode: "REQUIRED", description: "Session key" },
      { name: "session_date", type: "DATE", mode: "REQUIRED" },
      { name: "country", type: "STRING", mode: "NULLABLE", maxLength: "2" },
      { name: "device", type: "STRING", description: "Template-looking %{device}" },
      {
        name: "hits",
        type: "RECORD",
        mode: "REPEATED",
        description: "Hits of the session",
        fields: [
          { name: "page", type: "STRING", mode: "REQUIRED" },
          { name: "position", type: "RECORD", fields: [{ name: "x", type: "INTEGER" }, { name: "y", type: "INTEGER" }] },
        ],
      },
    ]);
    expect(sessions["schema"]).toContain("Template-looking %%{device}");
  });

  it("range partitioning, with bq's string numbers as numbers", () => {
    expect(bq["analytics_customer_buckets"]).toEqual({
      project: "acme-analytics",
      dataset_id: "analytics",
      table_id: "customer_buckets",
      schema: JSON.stringify([{ name: "bucket", type: "INTEGER", mode: "REQUIRED" }, { name: "customer_id", type: "STRING" }]),
      range_partitioning: { field: "bucket", range: { start: 0, end: 100, interval: 10 } },
    });
  });

  it("views: view { query, use_legacy_sql = false }, column descriptions when given, created after what they read", () => {
    expect(bq["analytics_v_daily_sessions"]).toEqual({
      project: "acme-analytics",
      dataset_id: "analytics",
      table_id: "v_daily_sessions",
      description: "Sessions per day and country",
      labels: { tier: "gold" },
      schema: JSON.stringify([
        { name: "session_date", type: "DATE", description: "Day of the session" },
        { name: "country", type: "STRING" },
        { name: "sessions", type: "INTEGER", description: "Sessions that day" },
      ]),
      view: { query: "SELECT session_date, country, COUNT(*) AS sessions\nFROM analytics.sessions\nGROUP BY 1, 2\n", use_legacy_sql: false },
      depends_on: ["google_bigquery_table.analytics_sessions"],
    });
    expect(bq["analytics_v_top_countries"]!["depends_on"]).toEqual(["google_bigquery_table.analytics_v_daily_sessions"]);
    expect(bq["analytics_v_top_countries"]).not.toHaveProperty("schema");
  });

  it("matches the reviewed snapshot", async () => {
    await expect(warehouse().text).toMatchFileSnapshot("__snapshots__/warehouse.google.tf.json");
  });
});

describe("SqlDomain, both targets (sales fixture)", () => {
  const { json } = synthWith((stack) => new SqlDomain(stack, "sales", { path: fixture("sales"), target: "both" }), { google: true });
  const flows = resources(json, "meshplane_flow");
  const bq = resources(json, "google_bigquery_table");

  it("tables get a contract, a flow and a BigQuery table; views only a BigQuery view (one owner)", () => {
    expect(Object.keys(resources(json, "meshplane_table"))).toHaveLength(5);
    expect(Object.keys(flows)).not.toContain("sales_mart_v_orders_enriched");
    expect(Object.keys(flows)).toHaveLength(5);
    expect(Object.keys(bq)).toEqual(["sales_mart_daily_revenue", "sales_mart_top_customers", "sales_mart_v_orders_enriched", "sales_ods_2024_targets", "sales_ods_customers", "sales_ods_orders"]);
  });

  it("the table.yaml description and labels win over bq show's; bq's partitioning and clustering are kept", () => {
    expect(bq["sales_ods_orders"]).toMatchObject({
      description: "One row per order, merged daily",
      labels: { pii: "false", tier: "gold" },
      time_partitioning: { type: "DAY", field: "order_date" },
      clustering: ["customer_id"],
    });
    expect(bq["sales_mart_daily_revenue"]!["time_partitioning"]).toEqual({ type: "MONTH", field: "order_date" });
  });

  it("a flow waits for its BigQuery table and, when it reads a view, for the view", () => {
    expect(flows["sales_ods_orders"]!["depends_on"]).toEqual(["meshplane_table.sales_ods_orders", "google_bigquery_table.sales_ods_orders"]);
    expect(flows["sales_mart_top_customers"]!["depends_on"]).toEqual([
      "meshplane_table.sales_mart_top_customers",
      "google_bigquery_table.sales_mart_top_customers",
      "google_bigquery_table.sales_mart_v_orders_enriched",
    ]);
    expect(bq["sales_mart_v_orders_enriched"]!["depends_on"]).toEqual(["google_bigquery_table.sales_ods_customers", "google_bigquery_table.sales_ods_orders"]);
  });

  it("without a google provider in the stack, synth says so (as with the prebuilt bindings)", () => {
    expect(() => synthWith((stack) => new SqlDomain(stack, "sales", { path: fixture("sales"), target: "google" }))).toThrow(/without a matching provider construct[\s\S]*: google/);
  });
});
