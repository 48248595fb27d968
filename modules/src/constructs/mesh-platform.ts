/**
 * MeshPlatform: the platform team's platform.yaml → teams, namespaces, service accounts
 * (each with one API key unless `keys: false`), role bindings and trigger grants
 * (platform-file.ts reads and checks the file).
 *
 * Dependencies are explicit (`depends_on`) rather than implied by references, so every
 * attribute stays a literal that reads well in a plan: a namespace waits for its owner
 * team and its declared parent namespace, a service account for its team, a key for
 * its account, a binding for its namespace and subject, a grant for both namespaces.
 * On destroy Terraform reverses that order, so nothing is deleted while something
 * still refers to it.
 *
 * Each key's secret is a sensitive output `api_key_<account>`: `terraform output -raw
 * api_key_sales-ci` hands it to the domain's CI, and the plan never prints it. A
 * `federations:` entry is a meshplane_service_account_federation instead: GitHub Actions
 * of the named repository act as the account with no key at all.
 */
import { TerraformOutput, type ITerraformDependable, type TerraformProvider, type TerraformResource } from "cdktf";
import { readFileSync } from "node:fs";
import { Construct } from "constructs";
import { ApiKey, Namespace, Policy, RoleBinding, ServiceAccount, ServiceAccountFederation, Team, TriggerGrant } from "@meshplane/provider/cdktf";
import { ModuleError } from "../errors.ts";
import { readPlatformFile, type PlatformModel } from "../platform/platform-file.ts";
import type { SourceLocation } from "../repo/domain-model.ts";
import { assignResourceNames, TERRAFORM_NAME } from "../terraform/resource-names.ts";
import { escapeTerraformTemplate } from "../terraform/escape.ts";
import { asConstructError } from "./construct-error.ts";
import { claimAddress } from "./stack-names.ts";
import { refuseTokenMarker } from "./token-marker.ts";

export interface MeshPlatformProps {
  /**
   * The governance file, relative to the working directory of the synth (or absolute).
   * @default "./platform.yaml"
   */
  readonly path?: string;
  /**
   * Create an API key per service account (and its sensitive output). `false` turns
   * keys off for the whole file; `keys: false` on an account turns off that one.
   * @default true
   */
  readonly keys?: boolean;
  /**
   * The Meshplane provider of the resources (e.g. an aliased one).
   * @default the stack's default `meshplane` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Prepended to every Terraform name and output, for stacks with several platform files.
   * @default ""
   */
  readonly resourcePrefix?: string;
}

const CONSTRUCT = "MeshPlatform";
const where = (l: SourceLocation) => `${l.file}:${l.line ?? 1}:${l.column ?? 1}`;

export class MeshPlatform extends Construct {
  readonly platform: PlatformModel;
  readonly teams = new Map<string, Team>();
  readonly namespaces = new Map<string, Namespace>();
  readonly serviceAccounts = new Map<string, ServiceAccount>();
  /** Per service account name. */
  readonly apiKeys = new Map<string, ApiKey>();
  /** Per service account name: the sensitive output holding the key's secret. */
  readonly apiKeyOutputs = new Map<string, TerraformOutput>();
  readonly roleBindings: RoleBinding[] = [];
  readonly triggerGrants: TriggerGrant[] = [];
  readonly federations: ServiceAccountFederation[] = [];
  readonly policies: Policy[] = [];

  constructor(scope: Construct, id: string, props: MeshPlatformProps = {}) {
    super(scope, id);
    const prefix = props.resourcePrefix ?? "";
    this.platform = asConstructError(this, CONSTRUCT, undefined, () => {
      if (prefix !== "" && !TERRAFORM_NAME.test(prefix)) {
        throw new ModuleError({ file: `${CONSTRUCT} props`, problem: "invalid resourcePrefix", received: JSON.stringify(prefix), expected: "a letter or '_', then letters, digits, '_' or '-'" });
      }
      const platform = readPlatformFile(props.path ?? "./platform.yaml");
      refuseTokenMarker(platform.file, readFileSync(props.path ?? "./platform.yaml", "utf8"));
      return platform;
    });
    const p = this.platform;
    const provider = props.provider ? { provider: props.provider } : {};
    // One name per resource type, from the object's identity; two entries that would share one are an error naming both lines.
    const names = (type: string, items: { id: string; location: SourceLocation }[]) =>
      asConstructError(this, CONSTRUCT, undefined, () => {
        let assigned: Map<string, string>;
        try {
          assigned = assignResourceNames(items.map((i) => ({ id: i.id, file: where(i.location) })));
        } catch (error) {
          // The core speaks of folders; here the two sides are entries of platform.yaml.
          if (!(error instanceof ModuleError)) throw error;
          throw new ModuleError({ file: error.file, problem: error.problem, received: error.received, expected: "names that stay distinct once every character outside [a-zA-Z0-9_-] becomes '_': rename one of the entries", related: error.related });
        }
        for (const i of items) claimAddress(this, `${type}.${prefix}${assigned.get(i.id)!}`, `${this.node.path} (${where(i.location)})`);
        return (id: string) => `${prefix}${assigned.get(id)!}`;
      });
    // Only what this file manages (an external team has no resource); no empty depends_on in the JSON.
    const deps = (...rs: (TerraformResource | undefined)[]): { dependsOn?: ITerraformDependable[] } => {
      const found = rs.filter((r): r is TerraformResource => r !== undefined);
      return found.length > 0 ? { dependsOn: found } : {};
    };

    const teamName = names("meshplane_team", p.teams.map((t) => ({ id: t.name, location: t.location })));
    for (const t of p.teams) {
      const team = new Team(this, `team-${t.name}`, { name: t.name, ...(t.description !== undefined ? { description: escapeTerraformTemplate(t.description) } : {}), ...provider });
      team.overrideLogicalId(teamName(t.name));
      this.teams.set(t.name, team);
    }

    const nsName = names("meshplane_namespace", p.namespaces.map((n) => ({ id: n.name, location: n.location })));
    for (const n of p.namespaces) {
      const namespace = new Namespace(this, `namespace-${n.name}`, {
        name: n.name,
        ownerTeam: n.ownerTeam,
        ...(n.description !== undefined ? { description: escapeTerraformTemplate(n.description) } : {}),
        ...(Object.keys(n.labels).length > 0 ? { labels: Object.fromEntries(Object.entries(n.labels).map(([k, v]) => [k, escapeTerraformTemplate(v)])) } : {}),
        ...provider,
      });
      namespace.overrideLogicalId(nsName(n.name));
      this.namespaces.set(n.name, namespace);
    }
    // Parents may be declared after their children in the file: wire once all exist.
    for (const n of p.namespaces) {
      const parent = nearestDeclaredParent(n.name, this.namespaces);
      const dependsOn = deps(this.teams.get(n.ownerTeam), parent).dependsOn;
      if (dependsOn) this.namespaces.get(n.name)!.dependsOn = dependsOn.map((d) => `${(d as TerraformResource).terraformResourceType}.${(d as TerraformResource).friendlyUniqueId}`);
    }

    const saName = names("meshplane_service_account", p.serviceAccounts.map((s) => ({ id: s.name, location: s.location })));
    const keyed = p.serviceAccounts.filter((s) => s.keys && props.keys !== false);
    const outputName = names("output", keyed.map((s) => ({ id: `api_key_${s.name}`, location: s.location })));
    for (const s of p.serviceAccounts) {
      const account = new ServiceAccount(this, `service-account-${s.name}`, {
        name: s.name,
        team: s.team,
        ...(s.description !== undefined ? { description: escapeTerraformTemplate(s.description) } : {}),
        ...deps(this.teams.get(s.team)),
        ...provider,
      });
      account.overrideLogicalId(saName(s.name));
      this.serviceAccounts.set(s.name, account);
    }
    for (const s of keyed) {
      const key = new ApiKey(this, `api-key-${s.name}`, { serviceAccount: s.name, ...deps(this.serviceAccounts.get(s.name)), ...provider });
      key.overrideLogicalId(saName(s.name));
      this.apiKeys.set(s.name, key);
      const output = new TerraformOutput(this, `api-key-output-${s.name}`, { value: key.secret, sensitive: true, description: `API key of the service account ${s.name} (team ${s.team})` });
      output.overrideLogicalId(outputName(`api_key_${s.name}`));
      this.apiKeyOutputs.set(s.name, output);
    }

    const bindingId = (b: PlatformModel["roleBindings"][number]) => `${b.namespace}_${b.role}_${b.subject.kind === "team" ? "team" : "sa"}_${b.subject.name}`;
    const bindingName = names("meshplane_role_binding", p.roleBindings.map((b) => ({ id: bindingId(b), location: b.location })));
    for (const b of p.roleBindings) {
      const subject = b.subject.kind === "team" ? this.teams.get(b.subject.name) : this.serviceAccounts.get(b.subject.name);
      const binding = new RoleBinding(this, `role-binding-${bindingId(b)}`, {
        namespace: b.namespace,
        role: b.role,
        ...(b.subject.kind === "team" ? { team: b.subject.name } : { serviceAccount: b.subject.name }),
        ...deps(this.namespaces.get(b.governingNamespace), subject),
        ...provider,
      });
      binding.overrideLogicalId(bindingName(bindingId(b)));
      this.roleBindings.push(binding);
    }

    const grantId = (g: PlatformModel["triggerGrants"][number]) => `${g.upstreamNamespace}${g.upstreamFlow !== undefined ? `_${g.upstreamFlow}` : ""}_to_${g.downstreamNamespace}`;
    const grantName = names("meshplane_trigger_grant", p.triggerGrants.map((g) => ({ id: grantId(g), location: g.location })));
    for (const g of p.triggerGrants) {
      const grant = new TriggerGrant(this, `trigger-grant-${grantId(g)}`, {
        upstreamNamespace: g.upstreamNamespace,
        ...(g.upstreamFlow !== undefined ? { upstreamFlow: g.upstreamFlow } : {}),
        downstreamNamespace: g.downstreamNamespace,
        kinds: [...g.kinds],
        ...deps(...new Set(g.governingNamespaces.map((n) => this.namespaces.get(n)))),
        ...provider,
      });
      grant.overrideLogicalId(grantName(grantId(g)));
      this.triggerGrants.push(grant);
    }

    // Named after the account and the claims' values (acme/retail-sales, refs/heads/main): stable while the rule is.
    const ruleId = (f: PlatformModel["federations"][number]) => `${f.serviceAccount}_${Object.values(f.claims).join("_")}`;
    const ruleName = names("meshplane_service_account_federation", p.federations.map((f) => ({ id: ruleId(f), location: f.location })));
    for (const f of p.federations) {
      const rule = new ServiceAccountFederation(this, `federation-${ruleId(f)}`, {
        serviceAccount: f.serviceAccount,
        issuer: f.issuer,
        audience: escapeTerraformTemplate(f.audience),
        claims: Object.fromEntries(Object.entries(f.claims).map(([k, v]) => [k, escapeTerraformTemplate(v)])),
        ...(f.description !== undefined ? { description: escapeTerraformTemplate(f.description) } : {}),
        ...deps(f.managedAccount ? this.serviceAccounts.get(f.serviceAccount) : undefined),
        ...provider,
      });
      rule.overrideLogicalId(ruleName(ruleId(f)));
      this.federations.push(rule);
    }

    // `policies:` (SPEC §12): CEL reaches Terraform unchanged (`${` escaped); a policy may govern a namespace this file does not manage.
    const policyName = names("meshplane_policy", p.policies.map((x) => ({ id: x.name, location: x.location })));
    for (const x of p.policies) {
      const policy = new Policy(this, `policy-${x.name}`, {
        name: x.name,
        namespace: x.namespace,
        appliesTo: x.appliesTo,
        expression: escapeTerraformTemplate(x.expression),
        severity: x.severity,
        message: escapeTerraformTemplate(x.message),
        ...deps(this.namespaces.get(x.namespace)),
        ...provider,
      });
      policy.overrideLogicalId(policyName(x.name));
      this.policies.push(policy);
    }
  }
}

function nearestDeclaredParent(name: string, declared: Map<string, Namespace>): Namespace | undefined {
  for (let cut = name; cut.includes("."); ) {
    cut = cut.slice(0, cut.lastIndexOf("."));
    const found = declared.get(cut);
    if (found) return found;
  }
  return undefined;
}
