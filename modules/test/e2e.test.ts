// End to end, with nothing mocked: the constructs synthesize cdk.tf.json, the real
// `terraform` (init/plan/apply) drives the real provider (built from provider/) against a
// real control plane (its own process, embedded PostgreSQL); then the API is asked what
// was registered, and a second plan must be empty.
//
// Three workspaces, as three repositories would have: the platform team's (admin key:
// teams, namespaces, service accounts and their keys, bindings, the supply → sales grant),
// then the supply and sales domains, each applied with its own CI key taken from the
// platform's sensitive outputs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startServer, TerraformWorkspace, type TestServer } from "@meshplane/test-kit";
import { MeshPlatform, SqlDomain } from "../src/index.ts";
import { fixture, fixtureFile } from "./fixtures.ts";
import { buildProvider, synthInto } from "./support/terraform.ts";

const MINUTES = 60_000;

describe("SqlDomain and MeshPlatform through terraform, the provider and a control plane", () => {
  let server: TestServer;
  let admin: ApiClient;
  const scratch = mkdtempSync(join(tmpdir(), "meshplane-modules-e2e-"));
  let providerPackage: string;
  const workspaces: TerraformWorkspace[] = [];
  const workspace = (apiKey: string) => {
    const ws = new TerraformWorkspace({ provider: providerPackage, env: { MESHPLANE_ENDPOINT: server.url, MESHPLANE_API_KEY: apiKey } });
    workspaces.push(ws);
    return ws;
  };
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    providerPackage = buildProvider(scratch);
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
  }, 3 * MINUTES);

  afterAll(async () => {
    for (const ws of workspaces) ws.cleanup();
    rmSync(scratch, { recursive: true, force: true });
    await server?.stop();
  }, MINUTES);

  it("the platform: apply, then an empty plan, and a working key per CI service account", async () => {
    const ws = workspace(server.adminKey);
    synthInto(ws, (stack) => new MeshPlatform(stack, "platform", { path: fixture("platform/platform.yaml") }));
    await ws.init();
    await ws.plan(2);
    await ws.apply();
    await ws.plan(0);
    for (const account of ["sales-ci", "supply-ci"]) {
      keys[account] = (await ws.ok(["output", "-raw", `api_key_${account}`])).stdout;
      expect(keys[account]).toMatch(/^mp_/);
    }
    const whoami = await new ApiClient(server.api, keys["sales-ci"]).get("/whoami");
    expect(whoami.body).toMatchObject({ subject: "sales-ci", team: "sales" });
    const grants = await admin.get("/trigger-grants?downstreamNamespace=retail.sales");
    expect(JSON.stringify(grants.body)).toContain("retail.supply");
    const ns = await admin.get("/namespaces/retail.sales");
    expect(ns.body).toMatchObject({ name: "retail.sales", ownerTeam: "sales", labels: { cost_center: "4200" } });
  }, 6 * MINUTES);

  it("the supply domain with its own CI key", async () => {
    const ws = workspace(keys["supply-ci"]!);
    synthInto(ws, (stack) => new SqlDomain(stack, "supply", { path: fixture("supply") }));
    await ws.init();
    await ws.apply();
    await ws.plan(0);
  }, 6 * MINUTES);

  it("the sales domain: plan, apply, flows and tables as the API registered them, then an empty plan", async () => {
    const ws = workspace(keys["sales-ci"]!);
    synthInto(ws, (stack) => new SqlDomain(stack, "sales", { path: fixture("sales") }));
    await ws.init();
    const plan = await ws.plan(2);
    expect(plan.output).toContain("Plan: 11 to add, 0 to change, 0 to destroy.");
    await ws.apply();

    const flows = await admin.get("/flows/retail.sales");
    const ids = (flows.body.items as { id: string }[]).map((f) => f.id).sort();
    expect(ids).toEqual(["sales_mart.daily_revenue", "sales_mart.top_customers", "sales_mart.v_orders_enriched", "sales_ods.2024_targets", "sales_ods.customers", "sales_ods.orders"]);

    // The SQL arrives byte for byte: Terraform un-escaped $${ and %%{.
    const orders = await admin.get("/flows/retail.sales/sales_ods.orders");
    const ordersDoc = parse(orders.body.source as string) as { tasks: { sql: string; writeDisposition: string; keys: string[] }[]; triggers: unknown[] };
    expect(ordersDoc.tasks[0]).toMatchObject({ sql: fixtureFile("sales", "sales_ods/orders/query.sql"), writeDisposition: "MODE_DELTA", keys: ["order_id"] });
    expect(ordersDoc.triggers).toEqual([{ id: "schedule", type: "schedule", cron: "0 3 * * *", timezone: "Europe/Paris" }]);

    const revenue = await admin.get("/flows/retail.sales/sales_mart.daily_revenue");
    const revenueDoc = parse(revenue.body.source as string) as { triggers: { upstream: unknown[] }[] };
    expect(revenueDoc.triggers[0]!.upstream).toEqual([
      { namespace: "retail.sales", flowId: "sales_ods.2024_targets" },
      { namespace: "retail.sales", flowId: "sales_ods.customers" },
      { namespace: "retail.sales", flowId: "sales_ods.orders" },
      { namespace: "retail.supply", flowId: "retail_supply.stock_levels" },
    ]);
    const up = await admin.get("/flows/retail.sales/sales_mart.daily_revenue/dependencies?direction=up");
    expect(up.body.nodes).toEqual(
      expect.arrayContaining([
        { namespace: "retail.supply", id: "retail_supply.stock_levels", registered: true },
        { namespace: "retail.sales", id: "sales_ods.orders", registered: true },
      ]),
    );

    const contract = await admin.get("/tables/retail.sales/sales_ods.orders");
    expect(contract.body).toMatchObject({ namespace: "retail.sales", dataset: "sales_ods", table: "orders", feedType: "MODE_DELTA", keys: ["order_id"], description: "One row per order, merged daily" });
    expect((await admin.get("/tables/retail.sales/sales_ods.customers")).body).toMatchObject({ feedType: "WRITE_APPEND" });
    expect((await admin.get("/tables/retail.sales/sales_ods.2024_targets")).body).toMatchObject({ feedType: "WRITE_TRUNCATE" });

    await ws.plan(0);
  }, 8 * MINUTES);
});
