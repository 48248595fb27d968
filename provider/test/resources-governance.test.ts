// Acceptance: team, service account, API key, namespace, role binding and trigger
// grant through the real terraform and a real control plane. Every step runs for
// all six resources at once (one workspace), to keep the suite fast:
// create → empty plan → update in place → replacement → import → drift → re-create → destroy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TerraformWorkspace } from "@meshplane/test-kit";
import { expectOk, meshplaneWorkspace, plannedCreates, startMeshplane, stateValues, type ApiClient, type TestServer } from "./meshplane-harness.ts";

interface Names {
  solo: string;
  soloDescription: string;
  saName: string;
  saDescription: string;
  expires: string;
  nsDescription: string;
  owner: string;
  downNs: string;
  role: string;
  kinds: string;
}

const v1: Names = {
  solo: "solo",
  soloDescription: "first",
  saName: "gov-ci",
  saDescription: "CI",
  expires: "2031-01-01T00:00:00Z",
  nsDescription: "governance",
  owner: "meshplane_team.owner.name",
  downNs: "gov_down",
  role: "viewer",
  kinds: '["trigger"]',
};

const config = (n: Names) => `
resource "meshplane_team" "owner" {
  name = "gov_owner"
}
resource "meshplane_team" "other" {
  name        = "gov_other"
  description = "another team"
}
resource "meshplane_team" "solo" {
  name        = "${n.solo}"
  description = "${n.soloDescription}"
}
resource "meshplane_service_account" "ci" {
  name        = "${n.saName}"
  team        = meshplane_team.owner.name
  description = "${n.saDescription}"
}
resource "meshplane_api_key" "ci" {
  service_account = meshplane_service_account.ci.name
  expires_at      = "${n.expires}"
}
resource "meshplane_namespace" "up" {
  name        = "gov_up"
  owner_team  = ${n.owner}
  description = "${n.nsDescription}"
  labels      = { tier = "gold" }
}
resource "meshplane_namespace" "down" {
  name       = "${n.downNs}"
  owner_team = meshplane_team.other.name
}
resource "meshplane_role_binding" "viewers" {
  namespace = meshplane_namespace.up.name
  role      = "${n.role}"
  team      = meshplane_team.other.name
}
resource "meshplane_trigger_grant" "down_listens" {
  upstream_namespace   = meshplane_namespace.up.name
  downstream_namespace = meshplane_namespace.down.name
  kinds                = ${n.kinds}
}
output "key_prefix" { value = meshplane_api_key.ci.prefix }
`;

const ADDRESSES = [
  "meshplane_team.owner",
  "meshplane_team.other",
  "meshplane_team.solo",
  "meshplane_service_account.ci",
  "meshplane_api_key.ci",
  "meshplane_namespace.up",
  "meshplane_namespace.down",
  "meshplane_role_binding.viewers",
  "meshplane_trigger_grant.down_listens",
];

describe("governance resources: full lifecycle with terraform and a real control plane", () => {
  let server: TestServer;
  let admin: ApiClient;
  let ws: TerraformWorkspace;

  beforeAll(async () => {
    ({ server, admin } = await startMeshplane());
    ws = meshplaneWorkspace(server);
    ws.writeConfig(config(v1));
    await ws.init();
  });
  afterAll(async () => {
    ws?.cleanup();
    await server?.stop();
  });

  it("creates every resource, keeps the API key's secret out of the output, then plans nothing", async () => {
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/\+ secret\s+= \(sensitive value\)/);
    const apply = await ws.apply();
    expect(apply.output).toMatch(/Apply complete! Resources: 9 added/);
    const state = await stateValues(ws);
    const secret = state["meshplane_api_key.ci"]!.secret as string;
    expect(secret).toMatch(/^mp_/);
    expect(apply.output).not.toContain(secret);
    expect((await admin.get("/teams/solo")).body).toMatchObject({ description: "first" });
    expect((await admin.get("/namespaces/gov_up")).body).toMatchObject({ ownerTeam: "gov_owner", labels: { tier: "gold" } });
    // The new key works against the API.
    expect((await admin.as(secret).get("/whoami")).body).toMatchObject({ subject: "gov-ci" });

    const show = await ws.ok(["state", "show", "meshplane_api_key.ci"]);
    expect(show.output).toMatch(/secret\s+= \(sensitive value\)/);
    expect(show.output).not.toContain(secret);
    await ws.plan(0);
  });

  it("updates descriptions, owner and labels in place", async () => {
    ws.writeConfig(config({ ...v1, soloDescription: "second", saDescription: "CI pipeline", nsDescription: "gov v2", owner: "meshplane_team.other.name" }));
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/Plan: 0 to add, 3 to change, 0 to destroy/);
    await ws.apply();
    expect((await admin.get("/teams/solo")).body.description).toBe("second");
    expect((await admin.get("/service-accounts/gov-ci")).body.description).toBe("CI pipeline");
    expect((await admin.get("/namespaces/gov_up")).body).toMatchObject({ ownerTeam: "gov_other", description: "gov v2" });
    await ws.plan(0);
  });

  it("replaces what the API cannot change in place", async () => {
    const before = await stateValues(ws);
    const v3 = { ...v1, solo: "solo_renamed", saName: "gov-ci2", expires: "2032-01-01T00:00:00Z", downNs: "gov_down2", role: "developer", kinds: '["trigger", "subflow"]', owner: "meshplane_team.other.name" };
    ws.writeConfig(config(v3));
    const plan = await ws.plan(2);
    for (const a of ["meshplane_team.solo", "meshplane_service_account.ci", "meshplane_api_key.ci", "meshplane_namespace.down", "meshplane_role_binding.viewers", "meshplane_trigger_grant.down_listens"]) {
      expect(plan.output).toContain(`# ${a} must be replaced`);
    }
    await ws.apply();
    const after = await stateValues(ws);
    expect(after["meshplane_api_key.ci"]!.id).not.toBe(before["meshplane_api_key.ci"]!.id);
    expect((await admin.get("/teams/solo")).status).toBe(404);
    expect((await admin.get("/teams/solo_renamed")).status).toBe(200);
    expect((await admin.get(`/role-bindings/${after["meshplane_role_binding.viewers"]!.id}`)).body.role).toBe("developer");
    expect((await admin.get(`/trigger-grants/${after["meshplane_trigger_grant.down_listens"]!.id}`)).body.kinds.sort()).toEqual(["subflow", "trigger"]);
    // The old key was revoked with its account.
    expect((await admin.as(before["meshplane_api_key.ci"]!.secret as string).get("/whoami")).status).toBe(401);
    await ws.plan(0);
    ws.writeConfig(config(v3));
  });

  it("imports every resource by its natural id, then plans nothing", async () => {
    const state = await stateValues(ws);
    const ids: Record<string, string> = {
      "meshplane_team.owner": "gov_owner",
      "meshplane_team.other": "gov_other",
      "meshplane_team.solo": "solo_renamed",
      "meshplane_service_account.ci": "gov-ci2",
      "meshplane_api_key.ci": `gov-ci2/${state["meshplane_api_key.ci"]!.id as string}`,
      "meshplane_namespace.up": "gov_up",
      "meshplane_namespace.down": "gov_down2",
      "meshplane_role_binding.viewers": state["meshplane_role_binding.viewers"]!.id as string,
      "meshplane_trigger_grant.down_listens": state["meshplane_trigger_grant.down_listens"]!.id as string,
    };
    await ws.ok(["state", "rm", ...ADDRESSES]);
    const v3 = { ...v1, solo: "solo_renamed", saName: "gov-ci2", expires: "2032-01-01T00:00:00Z", downNs: "gov_down2", role: "developer", kinds: '["trigger", "subflow"]', owner: "meshplane_team.other.name" };
    const imports = Object.entries(ids).map(([to, id]) => `import {\n  to = ${to}\n  id = "${id}"\n}`).join("\n");
    ws.writeConfig(config(v3) + imports);
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/Plan: 9 to import, 0 to add, 0 to change, 0 to destroy/);
    const apply = await ws.apply();
    expect(apply.output).toMatch(/Imported without its secret/);
    const imported = await stateValues(ws);
    expect(imported["meshplane_api_key.ci"]!.secret).toBeNull();
    expect(imported["meshplane_namespace.up"]).toMatchObject({ owner_team: "gov_other", labels: { tier: "gold" } });
    ws.writeConfig(config(v3));
    await ws.plan(0);
  });

  it("plans to re-create what was deleted or revoked outside terraform, and re-creates it", async () => {
    const state = await stateValues(ws);
    await expectOk(admin.delete(`/service-accounts/gov-ci2/keys/${state["meshplane_api_key.ci"]!.id as string}`));
    await expectOk(admin.delete(`/trigger-grants/${state["meshplane_trigger_grant.down_listens"]!.id as string}`));
    await expectOk(admin.delete(`/role-bindings/${state["meshplane_role_binding.viewers"]!.id as string}`));
    await expectOk(admin.delete("/namespaces/gov_down2"));
    await expectOk(admin.delete("/teams/solo_renamed"));
    const plan = await ws.plan(2);
    expect(plannedCreates(plan).sort()).toEqual(
      ["meshplane_api_key.ci", "meshplane_namespace.down", "meshplane_role_binding.viewers", "meshplane_team.solo", "meshplane_trigger_grant.down_listens"].sort(),
    );
    expect(plan.output).toMatch(/Plan: 5 to add, 0 to change, 0 to destroy/);
    await ws.apply();
    await ws.plan(0);
  });

  it("destroys everything", async () => {
    const r = await ws.ok(["destroy", "-auto-approve", "-input=false"]);
    expect(r.output).toMatch(/Destroy complete! Resources: 9 destroyed/);
    for (const path of ["/teams/gov_owner", "/teams/solo_renamed", "/service-accounts/gov-ci2", "/namespaces/gov_up", "/namespaces/gov_down2"]) {
      expect((await admin.get(path)).status).toBe(404);
    }
  });
});
