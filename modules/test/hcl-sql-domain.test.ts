// The HCL path and SqlDomain give the same resources: for each example domain (sales,
// supply, finance), the CDKTF synth of SqlDomain and the plain-HCL module
// modules/hcl/sql-domain (which calls provider::meshplane::sql_domain) are planned by the
// real terraform with the real provider against a real control plane (the examples'
// platform applied first, so the flows pass plan-time validation), and the planned
// resources are compared as (type, SqlDomain name) → planned attributes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, startServer, TerraformWorkspace, type TestServer } from "@meshplane/test-kit";
import { MeshPlatform, SqlDomain } from "../src/index.ts";
import { buildProvider, synthInto } from "./support/terraform.ts";

const MINUTES = 60_000;
const examples = fileURLToPath(new URL("../../examples/", import.meta.url));
const hclModule = fileURLToPath(new URL("../hcl/sql-domain", import.meta.url));

/** `terraform plan -out` + `show -json`: planned creations as "type name" → {after, after_unknown}. */
async function plannedResources(ws: TerraformWorkspace): Promise<Map<string, { after: unknown; unknown: unknown }>> {
  const plan = await ws.planJson();
  const out = new Map<string, { after: unknown; unknown: unknown }>();
  for (const rc of plan.resource_changes ?? []) {
    expect(rc.change.actions, rc.address).toEqual(["create"]);
    // SqlDomain: meshplane_flow.sales_ods_orders; the module: module.sales.meshplane_flow.this["sales_ods_orders"].
    const name = rc.module_address ? rc.index! : rc.name;
    out.set(`${rc.type} ${name}`, { after: rc.change.after, unknown: rc.change.after_unknown });
  }
  // SqlDomain's output and the module's, passed through by the root module under the same name.
  out.set("output required_grants", { after: plan.output_changes?.["required_grants"]?.after, unknown: {} });
  return out;
}

describe("the HCL module and SqlDomain plan the same resources for the examples", () => {
  let server: TestServer;
  const scratch = mkdtempSync(join(tmpdir(), "meshplane-hcl-"));
  let providerPackage: string;
  const workspaces: TerraformWorkspace[] = [];
  const workspace = () => {
    const ws = new TerraformWorkspace({ provider: providerPackage, env: { MESHPLANE_ENDPOINT: server.url, MESHPLANE_API_KEY: server.adminKey } });
    workspaces.push(ws);
    return ws;
  };

  beforeAll(async () => {
    providerPackage = buildProvider(scratch);
    server = await startServer();
    // The namespaces, teams and grants the domains' flows are validated against.
    const platform = workspace();
    synthInto(platform, (stack) => new MeshPlatform(stack, "platform", { path: join(examples, "platform", "platform.yaml") }));
    await platform.init();
    await platform.apply();
    // The examples' platform leaves finance's request to supply pending (its README shows the
    // refusal); here supply's maintainer grants it, so finance's flows plan too.
    const grant = await new ApiClient(server.api, server.adminKey).post("/trigger-grants", { upstreamNamespace: "retail.supply", downstreamNamespace: "retail.finance", kinds: ["trigger"] });
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);
  }, 5 * MINUTES);

  afterAll(async () => {
    for (const ws of workspaces) ws.cleanup();
    rmSync(scratch, { recursive: true, force: true });
    await server?.stop();
  }, MINUTES);

  for (const domain of ["sales", "supply", "finance"]) {
    it(`${domain}: same types, names and planned attributes`, async () => {
      const path = join(examples, "domains", domain);
      const cdktf = workspace();
      synthInto(cdktf, (stack) => new SqlDomain(stack, domain, { path }));
      const hcl = workspace();
      writeFileSync(
        join(hcl.dir, "main.tf"),
        [
          `terraform {\n  required_providers {\n    meshplane = { source = "meshplane/meshplane" }\n  }\n}`,
          `provider "meshplane" {}`,
          `module "${domain}" {\n  source = ${JSON.stringify(hclModule)}\n  path   = ${JSON.stringify(path)}\n}`,
          `output "required_grants" {\n  value = module.${domain}.required_grants\n}`,
        ].join("\n\n") + "\n",
      );
      await Promise.all([cdktf.init(), hcl.init()]);
      const [fromCdktf, fromHcl] = await Promise.all([plannedResources(cdktf), plannedResources(hcl)]);

      expect(fromCdktf.size).toBeGreaterThan(2);
      expect([...fromHcl.keys()].sort()).toEqual([...fromCdktf.keys()].sort());
      for (const [key, planned] of fromCdktf) expect(fromHcl.get(key), key).toEqual(planned);
      // Not vacuous: the SQL and the schema text reach the plan as written.
      const flows = [...fromHcl].filter(([k]) => k.startsWith("meshplane_flow "));
      expect(flows.every(([, p]) => typeof (p.after as { source?: unknown }).source === "string" && ((p.after as { source: string }).source).includes("tasks:"))).toBe(true);
    }, 5 * MINUTES);
  }

  it("an error in the folder fails the plan naming the file, line and column, at the function call", async () => {
    const ws = workspace();
    const domain = join(ws.root, "domain");
    mkdirSync(join(domain, "ds", "t"), { recursive: true });
    writeFileSync(join(domain, "domain.yaml"), "namespace: retail.sales\nteam: sales\nproject: acme-retail-sales\ndefaults: { schedule: '0 3 * * *' }\n");
    writeFileSync(join(domain, "ds", "t", "query.sql"), "SELECT 1 AS id\n");
    writeFileSync(join(domain, "ds", "t", "schema.json"), '[{"name": "id", "type": "INT64"}]\n');
    writeFileSync(join(domain, "ds", "t", "table.yaml"), "feed_type: WRITE_MERGE\n");
    writeFileSync(join(ws.dir, "main.tf"), `module "broken" {\n  source = ${JSON.stringify(hclModule)}\n  path   = ${JSON.stringify(domain)}\n}\n`);
    await ws.init();
    const { output } = await ws.ok(["plan", "-input=false"], 1);
    const text = output.replace(/[│╷╵]/g, " ").replace(/\s+/g, " "); // terraform wraps and frames its messages
    expect(text).toContain("Error: Invalid function argument");
    expect(text).toContain("while calling provider::meshplane::sql_domain(files, options)");
    // The argument index of the FunctionError: Terraform names the files parameter.
    expect(text).toContain('Invalid value for "files" parameter: ds/t/table.yaml:1:12: unknown feed_type "WRITE_MERGE" (received: "WRITE_MERGE"; expected: one of WRITE_APPEND, WRITE_TRUNCATE, MODE_DELTA).');
  }, 5 * MINUTES);
});
