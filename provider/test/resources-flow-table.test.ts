// Acceptance: meshplane_flow and meshplane_table (and the data sources) through the
// real terraform and a real control plane: the lifecycle, semantic comparison (YAML
// formatting, schema JSON aliases), and governance at plan time (cross-team grant,
// breaking table change, another team's namespace).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TerraformWorkspace } from "@meshplane/test-kit";
import { expectOk, flat, makeServiceAccount, meshplaneWorkspace, plannedCreates, startMeshplane, stateValues, type ApiClient, type TestServer } from "./meshplane-harness.ts";

const flowYaml = (id: string, description: string, extra = "") => `<<-EOT
    id: ${id}
    namespace: retail.sales
    description: ${description}
    tasks:
      - id: hello
        type: core.log
        message: hello
${extra}    EOT`;

/** The same flow, differently formatted, with comments and keys reordered. */
const flowYamlReformatted = (id: string, description: string) => `<<-EOT
    # owned by the sales team
    namespace: "retail.sales"
    id: '${id}'
    tasks: [ { type: core.log, id: hello, message: "hello" } ]   # one task
    description: "${description}"
    EOT`;

const columns = (extra: string) => `[
      { name = "order_id", type = "INTEGER", mode = "REQUIRED" },
      { name = "amount", type = "NUMERIC" }${extra}
    ]`;
const schemaJson = (fields: string) => `jsonencode({ schema = { fields = ${fields} } })`;
/** The same schema as a whole `bq show` table, with aliases and explicit default modes. */
const schemaJsonAliased = `jsonencode({
    tableReference = { projectId = "p", datasetId = "retail_sales", tableId = "orders" }
    schema = { fields = [
      { type = "INT64", name = "order_id", mode = "required" },
      { mode = "NULLABLE", name = "amount", type = "DECIMAL" }
    ] }
  })`;

interface Step {
  flowId: string;
  flowSource: string;
  table: string;
  schema: string;
  majorVersion?: number;
}

const config = (s: Step) => `
resource "meshplane_flow" "daily" {
  namespace = "retail.sales"
  flow_id   = "${s.flowId}"
  source    = ${s.flowSource}
}
resource "meshplane_table" "orders" {
  namespace   = "retail.sales"
  dataset     = "retail_sales"
  table       = "${s.table}"
  schema_json = ${s.schema}
  feed_type   = "MODE_DELTA"
  keys        = ["order_id"]
${s.majorVersion ? `  major_version = ${s.majorVersion}\n` : ""}}
`;

const v1: Step = { flowId: "daily_orders", flowSource: flowYaml("daily_orders", "Orders of the day"), table: "orders", schema: schemaJson(columns("")) };

describe("flows and tables: full lifecycle and plan-time governance", () => {
  let server: TestServer;
  let admin: ApiClient;
  let salesKey: string;
  let ws: TerraformWorkspace;
  const extra: TerraformWorkspace[] = [];
  const workspace = async (config: string, apiKey?: string) => {
    const w = meshplaneWorkspace(server, apiKey);
    extra.push(w);
    w.writeConfig(config);
    await w.init();
    return w;
  };

  beforeAll(async () => {
    ({ server, admin } = await startMeshplane());
    for (const team of ["sales", "supply"]) await expectOk(admin.post("/teams", { name: team }));
    await expectOk(admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" }));
    await expectOk(admin.post("/namespaces", { name: "retail.supply", ownerTeam: "supply" }));
    await expectOk(admin.put("/flows/retail.supply/stock_levels", "id: stock_levels\nnamespace: retail.supply\ntasks:\n  - { id: t, type: core.log, message: stock }\n"));
    // The sales team owns retail.sales, so its CI account is maintainer there (and nothing in retail.supply).
    salesKey = await makeServiceAccount(admin, "sales-ci", "sales");
    ws = meshplaneWorkspace(server, salesKey);
    ws.writeConfig(config(v1));
    await ws.init();
  });
  afterAll(async () => {
    ws?.cleanup();
    for (const w of extra) w.cleanup();
    await server?.stop();
  });

  it("creates the flow and the table, then plans nothing", async () => {
    await ws.apply();
    const state = await stateValues(ws);
    expect(state["meshplane_flow.daily"]).toMatchObject({ revision: 1 });
    expect(state["meshplane_table.orders"]).toMatchObject({ version: "1.0.0", keys: ["order_id"], description: "" });
    expect((await admin.get("/flows/retail.sales/daily_orders")).body.revision).toBe(1);
    await ws.plan(0);
  });

  it("sees no change in reformatted YAML with comments, nor in an aliased, reordered schema", async () => {
    ws.writeConfig(config({ ...v1, flowSource: flowYamlReformatted("daily_orders", "Orders of the day"), schema: schemaJsonAliased }));
    await ws.plan(0);
  });

  it("updates both in place: a new flow revision, a minor table version", async () => {
    ws.writeConfig(config({ ...v1, flowSource: flowYaml("daily_orders", "Orders of the day, merged"), schema: schemaJson(columns(`,\n      { name = "channel", type = "STRING" }`)) }));
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/Plan: 0 to add, 2 to change, 0 to destroy/);
    expect(plan.output).toMatch(/~ revision\s+= 1 -> \(known after apply\)/);
    await ws.apply();
    const state = await stateValues(ws);
    expect(state["meshplane_flow.daily"]!.revision).toBe(2);
    expect(state["meshplane_table.orders"]!.version).toBe("1.1.0");
    await ws.plan(0);
  });

  it("fails the plan on a breaking table change, naming it and the major version to declare; major_version accepts it", async () => {
    const step = { ...v1, flowSource: flowYaml("daily_orders", "Orders of the day, merged"), schema: schemaJson(`[{ name = "order_id", type = "INTEGER", mode = "REQUIRED" }]`) };
    ws.writeConfig(config(step));
    const plan = await ws.plan(1);
    expect(plan.output).toMatch(/Error: Breaking change to table retail_sales\.orders/);
    expect(plan.output).toMatch(/amount/);
    expect(plan.output).toMatch(/channel: column channel \(STRING\) was removed/);
    expect(flat(plan.output)).toMatch(/set major_version = 2 \(the contract becomes 2\.0\.0\)/);
    expect(plan.output).toMatch(/with meshplane_table\.orders,[\s\S]*schema_json/);
    ws.writeConfig(config({ ...step, majorVersion: 2 }));
    await ws.apply();
    expect((await stateValues(ws))["meshplane_table.orders"]!.version).toBe("2.0.0");
    await ws.plan(0);
  });

  const v2: Step = { flowId: "daily_orders_v2", flowSource: flowYaml("daily_orders_v2", "Orders"), table: "orders_v2", schema: schemaJson(columns("")) };

  it("replaces the flow and the table when their identity changes", async () => {
    ws.writeConfig(config(v2));
    const plan = await ws.plan(2);
    expect(plannedCreates(plan).sort()).toEqual(["meshplane_flow.daily", "meshplane_table.orders"]);
    expect(plan.output).toMatch(/Plan: 2 to add, 0 to change, 2 to destroy/);
    await ws.apply();
    expect((await admin.get("/flows/retail.sales/daily_orders")).status).toBe(404);
    expect((await admin.get("/tables/retail.sales/retail_sales.orders")).status).toBe(404);
    expect((await admin.get("/tables/retail.sales/retail_sales.orders_v2")).body.version).toBe("1.0.0");
    await ws.plan(0);
  });

  it("imports by natural ids (retail.sales/daily_orders_v2, retail.sales/retail_sales.orders_v2), then plans nothing", async () => {
    await ws.ok(["state", "rm", "meshplane_flow.daily", "meshplane_table.orders"]);
    ws.writeConfig(`${config(v2)}
import {
  to = meshplane_flow.daily
  id = "retail.sales/daily_orders_v2"
}
import {
  to = meshplane_table.orders
  id = "retail.sales/retail_sales.orders_v2"
}`);
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/Plan: 2 to import, 0 to add, 0 to change, 0 to destroy/);
    await ws.apply();
    ws.writeConfig(config(v2));
    await ws.plan(0);
  });

  it("plans to re-create both after they were deleted outside terraform; changed out of band, plans them back", async () => {
    await expectOk(admin.delete("/flows/retail.sales/daily_orders_v2"));
    await expectOk(admin.delete("/tables/retail.sales/retail_sales.orders_v2"));
    const plan = await ws.plan(2);
    expect(plannedCreates(plan).sort()).toEqual(["meshplane_flow.daily", "meshplane_table.orders"]);
    await ws.apply();
    await expectOk(admin.put("/flows/retail.sales/daily_orders_v2", "id: daily_orders_v2\nnamespace: retail.sales\ntasks:\n  - { id: other, type: core.log, message: changed by hand }\n"));
    const drift = await ws.plan(2);
    expect(drift.output).toMatch(/# meshplane_flow\.daily will be updated in-place/);
    expect(drift.output).toContain("changed by hand");
    await ws.apply();
    await ws.plan(0);
  });

  it("reads the flow and the table through data sources", async () => {
    const w = await workspace(`
data "meshplane_flow" "f" {
  namespace = "retail.sales"
  flow_id   = "daily_orders_v2"
}
data "meshplane_table" "t" {
  namespace = "retail.sales"
  dataset   = "retail_sales"
  table     = "orders_v2"
}
data "meshplane_namespace" "ns" { name = "retail.sales" }
data "meshplane_team" "team" { name = "sales" }
output "revision" { value = data.meshplane_flow.f.revision }
output "version" { value = data.meshplane_table.t.version }
output "owner" { value = data.meshplane_namespace.ns.owner_team }
output "team" { value = data.meshplane_team.team.name }
`, salesKey);
    const r = await w.apply();
    expect(r.output).toContain(`revision = ${(await admin.get("/flows/retail.sales/daily_orders_v2")).body.revision as number}`);
    expect(r.output).toContain('version = "1.0.0"');
    expect(r.output).toContain('owner = "sales"');
  });

  it("destroys both", async () => {
    const r = await ws.ok(["destroy", "-auto-approve", "-input=false"]);
    expect(r.output).toMatch(/Destroy complete! Resources: 2 destroyed/);
    expect((await admin.get("/flows/retail.sales/daily_orders_v2")).status).toBe(404);
  });

  it("never adopts a flow or a table made outside the configuration: the table fails the plan, the flow the apply, both saying to import them", async () => {
    await expectOk(admin.put("/flows/retail.sales/made_by_hand", "id: made_by_hand\nnamespace: retail.sales\ntasks:\n  - { id: t, type: core.log, message: by hand }\n"));
    await expectOk(admin.put("/tables/retail.sales/retail_sales.made_by_hand", { schema: { fields: [{ name: "order_id", type: "INTEGER", mode: "REQUIRED" }] }, feedType: "WRITE_APPEND" }));
    const table = `
resource "meshplane_table" "hand" {
  namespace   = "retail.sales"
  dataset     = "retail_sales"
  table       = "made_by_hand"
  schema_json = ${schemaJson(`[{ name = "order_id", type = "INTEGER", mode = "REQUIRED" }]`)}
  feed_type   = "WRITE_APPEND"
}
`;
    const w = await workspace(table, salesKey);
    const plan = await w.plan(1);
    expect(plan.output).toMatch(/Error: The table retail.sales\/retail_sales.made_by_hand already exists/);
    expect(flat(plan.output)).toMatch(/Import it with an `import \{ to = <this resource's address>, id = "retail.sales\/retail_sales.made_by_hand" \}` block/);

    w.writeConfig(`
resource "meshplane_flow" "hand" {
  namespace = "retail.sales"
  flow_id   = "made_by_hand"
  source    = ${flowYaml("made_by_hand", "Mine now")}
}
`);
    const apply = await w.ok(["apply", "-auto-approve", "-input=false"], 1);
    expect(apply.output).toMatch(/Error: The flow retail.sales\/made_by_hand already exists/);
    const stored = (await admin.get("/flows/retail.sales/made_by_hand")).body;
    expect(stored.revision).toBe(1);
    expect(stored.source).toContain("by hand");

    // Imported, the same configuration takes it over knowingly.
    w.writeConfig(`
import {
  to = meshplane_flow.hand
  id = "retail.sales/made_by_hand"
}
resource "meshplane_flow" "hand" {
  namespace = "retail.sales"
  flow_id   = "made_by_hand"
  source    = ${flowYaml("made_by_hand", "Mine now")}
}
`);
    await w.apply();
    expect((await admin.get("/flows/retail.sales/made_by_hand")).body).toMatchObject({ revision: 2, description: "Mine now" });
  });

  it("fails the plan when a flow triggers on another team's flow without a grant, naming the grant and who can create it", async () => {
    const trigger = `    triggers:
      - id: after_stock
        type: flow
        upstream:
          - { namespace: retail.supply, flowId: stock_levels }
`;
    const w = await workspace(`
resource "meshplane_flow" "x" {
  namespace = "retail.sales"
  flow_id   = "after_stock"
  source    = ${flowYaml("after_stock", "Runs after stock levels", trigger)}
}`, salesKey);
    const plan = await w.plan(1);
    expect(plan.output).toMatch(/Error: Flow not allowed/);
    expect(flat(plan.output)).toContain("flow retail.sales/after_stock triggers on retail.supply/stock_levels, owned by team supply, but no trigger grant lets retail.sales listen to retail.supply");
    expect(flat(plan.output)).toMatch(/a maintainer of retail\.supply \(team supply\) can create it: POST \/api\/v1\/trigger-grants/);
    expect(plan.output).toMatch(/with meshplane_flow\.x,[\s\S]*source/);
    // With the producer's grant the same plan passes.
    await expectOk(admin.post("/trigger-grants", { upstreamNamespace: "retail.supply", downstreamNamespace: "retail.sales", kinds: ["trigger"] }));
    await w.plan(2);
  });

  it("counts an upstream flow that the same configuration plans first, and only warns about one registered nowhere", async () => {
    const trigger = `    triggers:
      - id: after_first
        type: flow
        upstream:
          - { namespace: retail.sales, flowId: first }
          - { namespace: retail.sales, flowId: ghost }
`;
    const w = await workspace(`
resource "meshplane_flow" "first" {
  namespace = "retail.sales"
  flow_id   = "first"
  source    = ${flowYaml("first", "First")}
}
resource "meshplane_flow" "second" {
  namespace  = "retail.sales"
  flow_id    = "second"
  depends_on = [meshplane_flow.first]
  source     = ${flowYaml("second", "Second", trigger)}
}`, salesKey);
    const plan = await w.plan(2);
    expect(plan.output).toMatch(/Warning: Flow reference problem/);
    expect(plan.output).toMatch(/flow retail\.sales\/ghost is not registered \(yet\)/);
    expect(plan.output).not.toMatch(/retail\.sales\/first is not registered/);
    await w.apply();
    await w.ok(["destroy", "-auto-approve", "-input=false"]);
  });

  it("reports a write into another team's namespace (403) as a diagnostic on the attribute, at plan time", async () => {
    const w = await workspace(`
resource "meshplane_flow" "intruder" {
  namespace = "retail.supply"
  flow_id   = "intruder"
  source    = <<-EOT
    id: intruder
    namespace: retail.supply
    tasks:
      - { id: t, type: core.log, message: hi }
    EOT
}
resource "meshplane_table" "intruder" {
  namespace   = "retail.supply"
  dataset     = "supply_stock"
  table       = "levels"
  schema_json = jsonencode([{ name = "sku", type = "STRING" }])
  feed_type   = "WRITE_TRUNCATE"
}`, salesKey);
    const plan = await w.plan(1);
    expect(plan.output).toMatch(/Error: Flow not allowed/);
    expect(plan.output).toMatch(/flow\.write/);
    expect(plan.output).toMatch(/with meshplane_table\.intruder,[\s\S]*schema_json/);
    expect(plan.output).toMatch(/table\.write/);
    expect((await admin.get("/flows/retail.supply/intruder")).status).toBe(404);
  });
});
