// MeshPlatform on test/fixtures/platform/platform.yaml: every resource, its explicit
// dependencies and the sensitive key outputs; then the file's error cases.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { ConstructError, MeshPlatform, parsePlatformFile, type MeshPlatformProps } from "../src/index.ts";
import { ModuleError } from "../src/errors.ts";
import { fixture } from "./fixtures.ts";
import { resources, synthWith, testApp } from "./support/synth.ts";

const platformPath = relative(process.cwd(), fixture("platform/platform.yaml")).split("\\").join("/");
const platform = (props: MeshPlatformProps = {}) => synthWith((stack) => new MeshPlatform(stack, "platform", { path: platformPath, ...props }));

describe("MeshPlatform (platform fixture)", () => {
  const { json, text } = platform();

  it("teams (not the external ones)", () => {
    expect(resources(json, "meshplane_team")).toEqual({
      sales: { name: "sales", description: "Sales data engineers" },
      supply: { name: "supply", description: "Supply chain data engineers" },
    });
  });

  it("namespaces wait for their owner team and their declared parent, wherever it is in the file", () => {
    expect(resources(json, "meshplane_namespace")).toEqual({
      retail: { name: "retail", owner_team: "platform", description: "The retail mesh" },
      retail_sales: {
        name: "retail.sales",
        owner_team: "sales",
        description: "Orders, customers and revenue",
        labels: { cost_center: "4200" },
        depends_on: ["meshplane_team.sales", "meshplane_namespace.retail"],
      },
      retail_supply: { name: "retail.supply", owner_team: "supply", depends_on: ["meshplane_team.supply", "meshplane_namespace.retail"] },
    });
  });

  it("service accounts and one API key each, unless keys: false", () => {
    expect(resources(json, "meshplane_service_account")).toEqual({
      "sales-ci": { name: "sales-ci", team: "sales", description: "GitHub Actions of the sales repository", depends_on: ["meshplane_team.sales"] },
      "supply-ci": { name: "supply-ci", team: "supply", depends_on: ["meshplane_team.supply"] },
      "sales-robot": { name: "sales-robot", team: "sales", depends_on: ["meshplane_team.sales"] },
    });
    expect(resources(json, "meshplane_api_key")).toEqual({
      "sales-ci": { service_account: "sales-ci", depends_on: ["meshplane_service_account.sales-ci"] },
      "supply-ci": { service_account: "supply-ci", depends_on: ["meshplane_service_account.supply-ci"] },
    });
  });

  it("the keys' secrets are sensitive outputs", () => {
    expect(json.output).toEqual({
      "api_key_sales-ci": { value: "${meshplane_api_key.sales-ci.secret}", sensitive: true, description: "API key of the service account sales-ci (team sales)" },
      "api_key_supply-ci": { value: "${meshplane_api_key.supply-ci.secret}", sensitive: true, description: "API key of the service account supply-ci (team supply)" },
    });
  });

  it("role bindings wait for the namespace that governs them and their subject", () => {
    expect(resources(json, "meshplane_role_binding")).toEqual({
      "retail_sales_developer_sa_sales-ci": {
        namespace: "retail.sales",
        role: "developer",
        service_account: "sales-ci",
        depends_on: ["meshplane_namespace.retail_sales", "meshplane_service_account.sales-ci"],
      },
      "retail_supply_developer_sa_supply-ci": {
        namespace: "retail.supply",
        role: "developer",
        service_account: "supply-ci",
        depends_on: ["meshplane_namespace.retail_supply", "meshplane_service_account.supply-ci"],
      },
      retail_viewer_team_sales: { namespace: "retail", role: "viewer", team: "sales", depends_on: ["meshplane_namespace.retail", "meshplane_team.sales"] },
      // retail.sales.crm is not declared: retail.sales governs it.
      "retail_sales_crm_executor_sa_sales-robot": {
        namespace: "retail.sales.crm",
        role: "executor",
        service_account: "sales-robot",
        depends_on: ["meshplane_namespace.retail_sales", "meshplane_service_account.sales-robot"],
      },
    });
  });

  it("trigger grants wait for both namespaces; kinds default to [trigger]", () => {
    expect(resources(json, "meshplane_trigger_grant")).toEqual({
      retail_supply_to_retail_sales: {
        upstream_namespace: "retail.supply",
        downstream_namespace: "retail.sales",
        kinds: ["trigger"],
        depends_on: ["meshplane_namespace.retail_supply", "meshplane_namespace.retail_sales"],
      },
    });
  });

  it("keys: false on the construct turns every key and output off", () => {
    const { json: noKeys } = platform({ keys: false });
    expect(resources(noKeys, "meshplane_api_key")).toEqual({});
    expect(noKeys.output).toBeUndefined();
  });

  it("descriptions and label values reach Terraform unchanged (${ and %{ escaped)", () => {
    const dir = mkdtempSync(join(tmpdir(), "platform-"));
    writeFileSync(join(dir, "platform.yaml"), 'teams:\n  sales: { description: "costs ${x} and %{y}" }\nnamespaces:\n  sales: { owner_team: sales, labels: { note: "${z}" } }\n');
    const { json: escaped } = synthWith((stack) => new MeshPlatform(stack, "platform", { path: join(dir, "platform.yaml") }));
    expect(resources(escaped, "meshplane_team")["sales"]!["description"]).toBe("costs $${x} and %%{y}");
    expect(resources(escaped, "meshplane_namespace")["sales"]!["labels"]).toEqual({ note: "$${z}" });
    rmSync(dir, { recursive: true });
  });

  it("policies: one meshplane_policy each, CEL unchanged but for Terraform's ${, severity error by default", () => {
    const dir = mkdtempSync(join(tmpdir(), "mesh-platform-policies-"));
    try {
      writeFileSync(
        join(dir, "platform.yaml"),
        "teams: { platform: }\nnamespaces:\n  retail: { owner_team: platform }\npolicies:\n  - name: flows-have-an-owner\n    namespace: retail\n    applies_to: flow\n    expression: 'has(object.labels.owner) && object.id != \"${x}\"'\n    message: give the flow an owner label\n  - { name: columns-described, namespace: retail.sales, applies_to: table, severity: warning, expression: 'true', message: m }\n",
      );
      const { json } = synthWith((stack) => new MeshPlatform(stack, "platform", { path: join(dir, "platform.yaml") }));
      const policies = resources(json, "meshplane_policy");
      const byName = Object.values(policies).sort((a, b) => String(b.name).localeCompare(String(a.name)));
      expect(byName.map((p) => ({ ...p, depends_on: undefined }))).toEqual([
        { name: "flows-have-an-owner", namespace: "retail", applies_to: "flow", severity: "error", expression: 'has(object.labels.owner) && object.id != "$${x}"', message: "give the flow an owner label", depends_on: undefined },
        { name: "columns-described", namespace: "retail.sales", applies_to: "table", severity: "warning", expression: "true", message: "m", depends_on: undefined },
      ]);
      expect(byName[0]!.depends_on).toEqual(["meshplane_namespace.retail"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("federation rules: GitHub's issuer by default, claims as written, an external account needs nothing to wait for", () => {
    expect(resources(json, "meshplane_service_account_federation")).toEqual({
      "sales-ci_refs_heads_main_acme_retail-sales": {
        service_account: "sales-ci",
        issuer: "https://token.actions.githubusercontent.com",
        audience: "https://meshplane.example.com",
        claims: { ref: "refs/heads/main", repository: "acme/retail-sales" },
        depends_on: ["meshplane_service_account.sales-ci"],
      },
      "platform-admin_production_acme_retail-platform": {
        service_account: "platform-admin",
        issuer: "https://token.actions.githubusercontent.com",
        audience: "https://meshplane.example.com",
        claims: { environment: "production", repository: "acme/retail-platform" },
        description: "the platform repository's deployments",
      },
    });
  });

  it("matches the reviewed snapshot", async () => {
    await expect(text).toMatchFileSnapshot("__snapshots__/platform.tf.json");
  });
});

function platformErrorOf(props: MeshPlatformProps): ConstructError {
  const stack = new TerraformStack(testApp(), "test");
  try {
    new MeshPlatform(stack, "platform", props);
  } catch (error) {
    if (error instanceof ConstructError) return error;
    throw error;
  }
  throw new Error("expected a ConstructError");
}

const errorPath = (name: string) => relative(process.cwd(), fixture(`platform/errors/${name}.yaml`)).split("\\").join("/");
const parseError = (text: string): ModuleError => {
  try {
    parsePlatformFile("platform.yaml", text);
  } catch (error) {
    if (error instanceof ModuleError) return error;
    throw error;
  }
  throw new Error("expected a ModuleError");
};

describe("MeshPlatform errors name the file and line", () => {
  it("an unknown owner team", () => {
    expect(platformErrorOf({ path: errorPath("unknown-team") }).message).toBe(
      `${errorPath("unknown-team")}:5:32: unknown team "suply" (received: suply; expected: a team declared under teams or external_teams (sales)) [MeshPlatform test/platform]`,
    );
  });

  it("an unknown key", () => {
    expect(platformErrorOf({ path: errorPath("unknown-key") }).message).toBe(
      `${errorPath("unknown-key")}:4:28: unknown key "key" in service_accounts.sales-ci (received: "key"; expected: one of the keys team, description, keys) [MeshPlatform test/platform]`,
    );
  });

  it("two names that would become one Terraform resource", () => {
    expect(platformErrorOf({ path: errorPath("name-collision") }).message).toBe(
      `${errorPath("name-collision")}:5:3: "retail_sales.eu" and "retail.sales_eu" (${errorPath("name-collision")}:4:3) would both become the Terraform resource name "retail_sales_eu": two files would become one resource (received: retail_sales.eu (${errorPath("name-collision")}:5:3), retail.sales_eu (${errorPath("name-collision")}:4:3); expected: names that stay distinct once every character outside [a-zA-Z0-9_-] becomes '_': rename one of the entries) [MeshPlatform test/platform]`,
    );
  });

  it("a missing file", () => {
    expect(platformErrorOf({ path: "nowhere/platform.yaml" }).message).toBe(
      "nowhere/platform.yaml: no such file (expected: platform.yaml, the platform team's governance file (the path prop of MeshPlatform)) [MeshPlatform test/platform]",
    );
  });

  it.each([
    ["teams: [sales]\n", "platform.yaml:1:8: invalid teams (received: [\"sales\"]; expected: a mapping of team names to {description})"],
    ["teams:\n  Sales: {}\n", 'platform.yaml:2:3: invalid key "Sales"'],
    ["teams: { sales: }\nnamespaces:\n  retail: { owner_team: sales }\nrole_bindings:\n  - { namespace: retail, role: owner, team: sales }\n", 'platform.yaml:5:32: unknown role_bindings[0].role "owner" (received: "owner"; expected: one of viewer, developer, maintainer, executor)'],
    ["teams: { sales: }\nnamespaces:\n  retail: { owner_team: sales }\nrole_bindings:\n  - { namespace: retail, role: viewer }\n", "platform.yaml:5:5: a role binding names exactly one of team and service_account"],
    ["teams: { sales: }\nnamespaces:\n  retail: { owner_team: sales }\nrole_bindings:\n  - { namespace: retail, role: viewer, service_account: ci }\n", 'platform.yaml:5:57: unknown service account "ci"'],
    ["teams: { sales: }\nnamespaces:\n  retail: { owner_team: sales }\nrole_bindings:\n  - { namespace: emea, role: viewer, team: sales }\n", "platform.yaml:5:18: namespace emea is not declared, nor is any of its parents"],
    [
      "teams: { sales: }\nnamespaces:\n  retail: { owner_team: sales }\nrole_bindings:\n  - { namespace: retail, role: viewer, team: sales }\n  - { namespace: retail, role: viewer, team: sales }\n",
      "platform.yaml:6:5: the same role binding as role_bindings[0]",
    ],
    [
      "teams: { sales: }\nnamespaces:\n  a: { owner_team: sales }\n  b: { owner_team: sales }\ntrigger_grants:\n  - { upstream_namespace: a, downstream_namespace: b, kinds: [trigger, publish] }\n",
      'platform.yaml:6:72: unknown trigger_grants[0].kinds[1] "publish"',
    ],
    ["teams: { sales: }\nnamespaces:\n  a: { owner_team: sales }\ntrigger_grants:\n  - { upstream_namespace: a, downstream_namespace: a }\n", "platform.yaml:5:52: a grant from a namespace to itself"],
    ["external_teams: [sales]\nteams: { sales: }\n", 'platform.yaml:1:18: team "sales" is both external and declared under teams'],
    ["federations:\n  - { service_account: ci, audience: a, claims: { repository: a/b } }\n", 'platform.yaml:2:24: unknown service account "ci"'],
    ["external_service_accounts: [ci]\nfederations:\n  - { service_account: ci, audience: a, claims: {} }\n", "platform.yaml:3:49: a federation rule without claims would trust every token of the issuer"],
    ["external_service_accounts: [ci]\nfederations:\n  - { service_account: ci, audience: a, claims: { aud: x } }\n", "platform.yaml:3:56: aud cannot be a rule's claim"],
    ["external_service_accounts: [ci]\nfederations:\n  - { service_account: ci, issuer: http://ci.example.com, audience: a, claims: { repository: a/b } }\n", "platform.yaml:3:36: invalid federations[0].issuer"],
    ["external_service_accounts: [ci]\nfederations:\n  - { service_account: ci, audience: a, claims: { repository: a/b } }\n  - { service_account: ci, audience: a, claims: { repository: a/b } }\n", "platform.yaml:4:5: the same federation rule as federations[0]"],
    ["teams:\n  sales: {}\n  sales: {}\n", "platform.yaml:3:3: invalid YAML: Map keys must be unique"],
    ["policies:\n  - { name: p, namespace: retail, applies_to: view, expression: 'true', message: m }\n", 'platform.yaml:2:47: unknown policies[0].applies_to "view" (received: "view"; expected: one of flow, table)'],
    ["policies:\n  - { name: p, namespace: retail, applies_to: flow, expression: 'true', severity: fatal, message: m }\n", 'platform.yaml:2:83: unknown policies[0].severity "fatal" (received: "fatal"; expected: one of error, warning)'],
    ["policies:\n  - { name: p, namespace: retail, applies_to: flow, expression: 'true', message: m }\n  - { name: p, namespace: retail, applies_to: table, expression: 'true', message: m }\n", 'platform.yaml:3:13: policy "p" is also policies[0]'],
  ])("%j", (text, start) => {
    const message = parseError(text).message;
    expect(message.startsWith(start), message).toBe(true);
  });
});
