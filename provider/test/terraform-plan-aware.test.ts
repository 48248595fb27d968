// Plan-time checks that understand the plan they are in (issue 13 item 2), with the
// real terraform, the real provider and a real control plane that starts empty:
// one configuration creating teams, namespaces, a service account, a trigger grant
// and flows using them plans and applies in one go, because the provider sends what
// it has planned to POST /flows/validate; what exists neither in the API nor in the
// plan still fails the plan with the API's words. The RPC log
// (MESHPLANE_PROVIDER_RPC_LOG) proves the order this relies on: Terraform plans (and
// applies) a resource only after those it references or depends on.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TerraformWorkspace } from "@meshplane/test-kit";
import { flat, makeServiceAccount, meshplaneWorkspace, startMeshplane, type ApiClient, type TestServer } from "./meshplane-harness.ts";

/** A mesh of two teams whose names start with `p` (one control plane, several workspaces). */
const mesh = (p: string, opts: { grant?: boolean } = {}) => `
resource "meshplane_team" "sales" {
  name = "${p}_sales"
}
resource "meshplane_team" "supply" {
  name = "${p}_supply"
}
resource "meshplane_namespace" "sales" {
  name       = "${p}_sales"
  owner_team = meshplane_team.sales.name
}
resource "meshplane_namespace" "supply" {
  name       = "${p}_supply"
  owner_team = meshplane_team.supply.name
}
resource "meshplane_namespace" "crm" {
  name       = "\${meshplane_namespace.sales.name}.crm"
  owner_team = meshplane_team.sales.name
}
resource "meshplane_service_account" "supply_ci" {
  name = "${p}-supply-ci"
  team = meshplane_team.supply.name
}
${opts.grant === false ? "" : `resource "meshplane_trigger_grant" "supply_listens" {
  upstream_namespace   = meshplane_namespace.sales.name
  upstream_flow        = "orders"
  downstream_namespace = meshplane_namespace.supply.name
  kinds                = ["trigger"]
}`}
# A table contract in a namespace the plan creates.
resource "meshplane_table" "orders" {
  namespace   = meshplane_namespace.sales.name
  dataset     = "${p}_sales"
  table       = "orders"
  schema_json = jsonencode({ fields = [{ name = "order_id", type = "STRING" }] })
  feed_type   = "WRITE_APPEND"
}
# References the namespace it lives in.
resource "meshplane_flow" "orders" {
  namespace = meshplane_namespace.sales.name
  flow_id   = "orders"
  source    = <<-EOT
    id: orders
    namespace: \${meshplane_namespace.sales.name}
    tasks:
      - { id: log, type: core.log, message: orders }
  EOT
}
# Cross-team: listens to sales' flow, through the grant's attributes.
resource "meshplane_flow" "replenish" {
  namespace = meshplane_namespace.supply.name
  flow_id   = "replenish"
  source    = <<-EOT
    id: replenish
    namespace: \${meshplane_namespace.supply.name}
    triggers:
      - id: after_orders
        type: flow
        upstream:
          - { namespace: ${opts.grant === false ? "\${meshplane_namespace.sales.name}" : "\${meshplane_trigger_grant.supply_listens.upstream_namespace}"}, flowId: \${meshplane_flow.orders.flow_id} }
    tasks:
      - { id: log, type: core.log, message: replenish }
  EOT
}
# Literal names only: the order comes from depends_on.
resource "meshplane_flow" "leads" {
  namespace  = "${p}_sales.crm"
  flow_id    = "leads"
  depends_on = [meshplane_namespace.crm, meshplane_flow.orders]
  source     = <<-EOT
    id: leads
    namespace: ${p}_sales.crm
    triggers:
      - { id: after_orders, type: flow, upstream: [{ namespace: ${p}_sales, flowId: orders }] }
    tasks:
      - { id: log, type: core.log, message: leads }
  EOT
}
`;

interface RpcLine {
  pid: number;
  rpc: string;
  phase: "begin" | "end";
  type: string;
  name?: string;
  namespace?: string;
  flow_id?: string;
}

const readRpcLog = (file: string): RpcLine[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RpcLine);

/** Index of the first line matching, or a failure naming what is missing. */
function at(lines: RpcLine[], what: Partial<RpcLine>): number {
  const i = lines.findIndex((l) => Object.entries(what).every(([k, v]) => l[k as keyof RpcLine] === v));
  if (i < 0) throw new Error(`no RPC log line ${JSON.stringify(what)} in:\n${lines.map((l) => JSON.stringify(l)).join("\n")}`);
  return i;
}

describe("plan-time checks see what the same plan creates", () => {
  let server: TestServer;
  let admin: ApiClient;
  const workspaces: TerraformWorkspace[] = [];
  const workspace = (extraEnv: NodeJS.ProcessEnv = {}) => {
    const ws = meshplaneWorkspace(server);
    Object.assign(ws.env, extraEnv);
    workspaces.push(ws);
    return ws;
  };

  beforeAll(async () => {
    ({ server, admin } = await startMeshplane());
  });
  afterAll(async () => {
    for (const ws of workspaces) ws.cleanup();
    await server?.stop();
  });

  it("applies one configuration from empty in one terraform apply, in the order the RPC log shows", async () => {
    const ws = workspace();
    const rpcLog = join(ws.root, "rpc.jsonl");
    Object.assign(ws.env, { MESHPLANE_PROVIDER_RPC_LOG: rpcLog });
    ws.writeConfig(mesh("one"));
    await ws.init();
    expect((await admin.get("/namespaces/one_sales")).status).toBe(404);

    const applied = await ws.apply();
    expect(applied.output).toMatch(/Apply complete! Resources: 11 added, 0 changed, 0 destroyed/);
    expect(applied.output).not.toMatch(/does not exist|not registered|Warning/);
    expect((await admin.get("/flows/one_supply/replenish")).body.source).toMatch(/namespace: one_sales, flowId: orders/);
    expect((await admin.get("/flows/one_sales.crm/leads")).status).toBe(200);
    expect((await admin.get("/tables/one_sales/one_sales.orders")).body.version).toBe("1.0.0");

    // The order the provider relies on, per provider process: a flow's plan begins
    // after the plans of the namespaces, grant and flows it references have ended.
    const lines = readRpcLog(rpcLog);
    const byPid = new Map<number, RpcLine[]>();
    for (const l of lines) byPid.set(l.pid, [...(byPid.get(l.pid) ?? []), l]);
    const planners = [...byPid.values()].filter((ls) => ls.some((l) => l.rpc === "PlanResourceChange"));
    // terraform apply: one process plans, another re-plans each resource before applying it.
    expect(planners.length).toBe(2);
    for (const ls of planners) {
      const planEnd = (what: Partial<RpcLine>) => at(ls, { rpc: "PlanResourceChange", phase: "end", ...what });
      const planBegin = (what: Partial<RpcLine>) => at(ls, { rpc: "PlanResourceChange", phase: "begin", ...what });
      const replenish = planBegin({ type: "meshplane_flow", flow_id: "replenish" });
      expect(planEnd({ type: "meshplane_namespace", name: "one_supply" })).toBeLessThan(replenish);
      expect(planEnd({ type: "meshplane_namespace", name: "one_sales" })).toBeLessThan(replenish);
      expect(planEnd({ type: "meshplane_trigger_grant" })).toBeLessThan(replenish);
      expect(planEnd({ type: "meshplane_flow", flow_id: "orders" })).toBeLessThan(replenish);
      expect(planEnd({ type: "meshplane_namespace", name: "one_sales.crm" })).toBeLessThan(planBegin({ type: "meshplane_flow", flow_id: "leads" }));
    }
    // In the applying process, what a flow needs is created before the flow is even re-planned.
    const applier = planners.find((ls) => ls.some((l) => l.rpc === "ApplyResourceChange"))!;
    expect(at(applier, { rpc: "ApplyResourceChange", phase: "end", type: "meshplane_trigger_grant" })).toBeLessThan(
      at(applier, { rpc: "PlanResourceChange", phase: "begin", type: "meshplane_flow", flow_id: "replenish" }),
    );
    await ws.plan(0);
  });

  it("plans, then applies the saved plan (a new process re-plans each resource), with -refresh=false too", async () => {
    const ws = workspace();
    ws.writeConfig(mesh("saved"));
    await ws.init();
    const plan = await ws.plan(2, "-out=tfplan", "-refresh=false");
    expect(plan.output).toMatch(/Plan: 11 to add, 0 to change, 0 to destroy/);
    expect(plan.output).not.toMatch(/does not exist|not registered|Warning/);
    await ws.ok(["apply", "-input=false", "tfplan"]);
    expect((await admin.get("/flows/saved_supply/replenish")).status).toBe(200);
    await ws.plan(0);
  });

  it("-target takes the flow's dependencies along, and their plans count", async () => {
    const ws = workspace();
    ws.writeConfig(mesh("tgt"));
    await ws.init();
    const applied = await ws.apply("-target=meshplane_flow.replenish");
    expect(applied.output).toMatch(/Apply complete! Resources: 7 added/);
    expect((await admin.get("/flows/tgt_supply/replenish")).status).toBe(200);
    expect((await admin.get("/flows/tgt_sales.crm/leads")).status).toBe(404);
  });

  it("still fails the plan, with today's message, on a grant that exists neither in the API nor in the plan", async () => {
    const ws = workspace();
    ws.writeConfig(mesh("neg", { grant: false }));
    await ws.init();
    const plan = await ws.plan(1);
    expect(plan.output).toMatch(/Error: Flow not allowed/);
    expect(plan.output).toMatch(/with meshplane_flow\.replenish/);
    expect(flat(plan.output)).toMatch(
      /flow neg_supply\/replenish triggers on neg_sales\/orders, owned by team neg_sales, but no trigger grant lets neg_supply listen to neg_sales; a maintainer of neg_sales \(team neg_sales\) can create it: POST \/api\/v1\/trigger-grants/,
    );
    // The flows that need nothing missing are not refused.
    expect(plan.output).not.toMatch(/with meshplane_flow\.(orders|leads)/);
    expect((await admin.get("/namespaces/neg_sales")).status).toBe(404);
  });

  it("still fails the plan of a flow and a table in a namespace that exists neither in the API nor in the plan", async () => {
    const ws = workspace();
    ws.writeConfig(`${mesh("ghost")}
resource "meshplane_flow" "lost" {
  namespace  = "ghost_nowhere"
  flow_id    = "lost"
  depends_on = [meshplane_namespace.sales]
  source     = "id: lost\\nnamespace: ghost_nowhere\\ntasks:\\n  - { id: log, type: core.log, message: lost }\\n"
}
resource "meshplane_table" "lost" {
  namespace   = "ghost_nowhere"
  dataset     = "ghost_nowhere"
  table       = "t"
  schema_json = jsonencode({ fields = [{ name = "id", type = "STRING" }] })
  feed_type   = "WRITE_APPEND"
  depends_on  = [meshplane_namespace.sales]
}
`);
    await ws.init();
    const plan = await ws.plan(1);
    expect(flat(plan.output)).toMatch(/Error: Flow reference problem with meshplane_flow\.lost,.* namespace ghost_nowhere does not exist; the platform team creates namespaces \(POST \/api\/v1\/namespaces\)/);
    expect(flat(plan.output)).toMatch(/Error: Not found with meshplane_table\.lost,.* namespace ghost_nowhere does not exist; the platform team creates namespaces/);
    expect(plan.output.match(/Error:/g)).toHaveLength(2);
  });

  it("does not decide before apply a namespace whose name only apply knows: a warning that says so, then the apply", async () => {
    const ws = workspace();
    ws.writeConfig(`
resource "meshplane_team" "t" {
  name = "late_team"
}
# terraform_data's output is known only after apply.
resource "terraform_data" "name" {
  input = "late_ns"
}
resource "meshplane_namespace" "late" {
  name       = terraform_data.name.output
  owner_team = meshplane_team.t.name
}
resource "meshplane_flow" "f" {
  namespace  = "late_ns"
  flow_id    = "f"
  depends_on = [meshplane_namespace.late]
  source     = "id: f\\nnamespace: late_ns\\ntasks:\\n  - { id: log, type: core.log, message: f }\\n"
}
`);
    await ws.init();
    const plan = await ws.plan(2);
    expect(flat(plan.output)).toMatch(/Warning: Flow reference problem .* namespace late_ns does not exist; .* known only after apply, so this is not decided before apply; the apply checks it again/);
    await ws.apply();
    expect((await admin.get("/flows/late_ns/f")).status).toBe(200);
  });
  /**
   * Two provider configurations are two processes: the platform's alias (admin key)
   * plans the namespaces, the default provider (the sales team's key) plans the flows.
   * Team al_sales exists already; the namespaces do not.
   */
  const aliased = (adminKey: string) => `
provider "meshplane" {
  alias   = "platform"
  api_key = "${adminKey}"
}
resource "meshplane_namespace" "sales" {
  provider   = meshplane.platform
  name       = "al_sales"
  owner_team = "al_sales"
}
resource "meshplane_flow" "mine" {
  namespace = meshplane_namespace.sales.name
  flow_id   = "mine"
  source    = "id: mine\\nnamespace: \${meshplane_namespace.sales.name}\\ntasks:\\n  - { id: log, type: core.log, message: mine }\\n"
}
`;

  it("shares what an aliased provider (another process) plans: the sales key may write the namespace planned for its team", async () => {
    const salesKey = await makeServiceAccount(admin, "al-sales-ci", "al_sales");
    expect((await admin.post("/teams", { name: "al_other" })).status).toBe(201);
    const ws = meshplaneWorkspace(server, salesKey);
    workspaces.push(ws);
    ws.writeConfig(aliased(server.adminKey));
    await ws.init();

    // Without sharing, the default provider's process does not know the alias's plans: today's error.
    const alone = await ws.ok(["plan", "-input=false"], 1, { MESHPLANE_PROVIDER_SHARE_PLAN: "0" });
    expect(flat(alone.output)).toMatch(/namespace al_sales does not exist; the platform team creates namespaces/);

    const shared = await ws.plan(2);
    expect(shared.output).not.toMatch(/Error|Warning/);
    await ws.apply();
    expect((await admin.get("/flows/al_sales/mine")).status).toBe(200);

    expect((await admin.get("/namespaces/al_other")).status).toBe(404);
    // A flow of the sales key in a namespace this plan creates for another team: PUT's 403 words at plan time.
    ws.writeConfig(`${aliased(server.adminKey)}
resource "meshplane_namespace" "other" {
  provider   = meshplane.platform
  name       = "al_other"
  owner_team = "al_other"
}
resource "meshplane_flow" "theirs" {
  namespace  = "al_other"
  flow_id    = "theirs"
  depends_on = [meshplane_namespace.other]
  source     = "id: theirs\\nnamespace: al_other\\ntasks:\\n  - { id: log, type: core.log, message: theirs }\\n"
}
`);
    const refused = await ws.plan(1);
    expect(flat(refused.output)).toMatch(/Error: Flow not allowed with meshplane_flow\.theirs,.* al-sales-ci \(team al_sales\) lacks permission flow\.write \(.*\) on namespace al_other\. Roles that grant it: .*; a maintainer of al_other \(team al_other\) or a platform admin can bind one/);
  });
});
