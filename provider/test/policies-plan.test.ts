// Acceptance: meshplane_policy through the real terraform and a real control plane, and
// platform policies at `terraform plan` of a flow: an error policy fails the plan with the
// policy's message on `source`, a warning policy shows as a warning and lets it apply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TerraformWorkspace } from "@meshplane/test-kit";
import { expectOk, flat, makeServiceAccount, meshplaneWorkspace, startMeshplane, stateValues, type ApiClient, type TestServer } from "./meshplane-harness.ts";

const policies = (ownerSeverity: string) => `
resource "meshplane_policy" "owner" {
  name       = "flows-have-an-owner"
  namespace  = "retail"
  applies_to = "flow"
  severity   = "${ownerSeverity}"
  expression = "has(object.labels) && has(object.labels.owner)"
  message    = "give the flow an owner label"
}
resource "meshplane_policy" "described" {
  name       = "flows-are-described"
  namespace  = "retail"
  applies_to = "flow"
  severity   = "warning"
  expression = "has(object.description)"
  message    = "describe the flow"
}
`;

const flow = (labels: string) => `
resource "meshplane_flow" "orders" {
  namespace = "retail.sales"
  flow_id   = "orders"
  source    = <<-EOT
    id: orders
    namespace: retail.sales
    ${labels}
    tasks:
      - { id: hello, type: core.log, message: hello }
    EOT
}
`;

describe("platform policies through terraform", () => {
  let server: TestServer;
  let admin: ApiClient;
  let platform: TerraformWorkspace;
  let sales: TerraformWorkspace;

  beforeAll(async () => {
    ({ server, admin } = await startMeshplane());
    await expectOk(admin.post("/teams", { name: "sales" }));
    await expectOk(admin.post("/namespaces", { name: "retail", ownerTeam: "platform" }));
    await expectOk(admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" }));
    platform = meshplaneWorkspace(server);
    sales = meshplaneWorkspace(server, await makeServiceAccount(admin, "sales-ci", "sales"));
    platform.writeConfig(policies("error"));
    sales.writeConfig(flow("labels: { team: sales }"));
    await Promise.all([platform.init(), sales.init()]);
  });
  afterAll(async () => {
    platform?.cleanup();
    sales?.cleanup();
    await server?.stop();
  });

  it("creates policies, plans nothing more, and updates one in place", async () => {
    await platform.apply();
    expect((await stateValues(platform))["meshplane_policy.owner"]).toMatchObject({ name: "flows-have-an-owner", severity: "error", revision: 1 });
    await platform.plan(0);
    expect((await admin.get("/policies/flows-have-an-owner")).body.expression).toBe("has(object.labels) && has(object.labels.owner)");
  });

  it("fails the flow's plan with the error policy's message, and shows the warning policy as a warning", async () => {
    const plan = await sales.plan(1);
    const out = flat(plan.output);
    expect(out).toContain("Error: Flow refused by a platform policy");
    expect(out).toContain("policy flows-have-an-owner (error, namespace retail): give the flow an owner label");
    expect(plan.output).toMatch(/with meshplane_flow\.orders,[\s\S]*source/);
    expect(out).toContain("Warning: Platform policy warning");
    expect(out).toContain("policy flows-are-described (warning, namespace retail): describe the flow");
  });

  it("plans and applies once the policy is only a warning; the warnings stay warnings", async () => {
    platform.writeConfig(policies("warning"));
    const change = await platform.plan(2);
    expect(change.output).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    await platform.apply();
    const plan = await sales.plan(2);
    // Both are warnings now; terraform folds the second one ("one more similar warning").
    expect(flat(plan.output)).toContain("Warning: Platform policy warning");
    expect(flat(plan.output)).toContain("policy flows-are-described (warning, namespace retail): describe the flow (and one more similar warning elsewhere)");
    expect(flat(plan.output)).not.toContain("Error:");
    await sales.apply();
    expect((await admin.get("/flows/retail.sales/orders")).status).toBe(200);
  });
});
