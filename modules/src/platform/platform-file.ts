/**
 * platform.yaml, the platform team's governance file, read into plain data for
 * MeshPlatform. Shape (every object strict: an unknown key is an error with its line):
 *
 * ```yaml
 * external_teams: [platform]   # teams that exist already (the bootstrap's) and may be referenced
 * teams:                       # name → {description}
 *   sales: { description: Sales data engineers }
 * namespaces:                  # name → {owner_team, description, labels}
 *   retail.sales: { owner_team: sales, labels: { cost_center: "42" } }
 * service_accounts:            # name → {team, description, keys}
 *   sales-ci: { team: sales }  # keys: false = no API key managed here
 * role_bindings:               # one of team / service_account
 *   - { namespace: retail.sales, role: developer, service_account: sales-ci }
 * trigger_grants:              # the producer's consent; kinds default to [trigger]
 *   - { upstream_namespace: retail.supply, downstream_namespace: retail.sales }
 * external_service_accounts: [platform-admin]   # accounts that exist already (federations may name them)
 * federations:                 # OIDC: GitHub Actions of a repository act as the account, no key
 *   - service_account: sales-ci
 *     issuer: https://token.actions.githubusercontent.com   # the default
 *     audience: https://meshplane.example.com               # the provider's oidc_audience (default: its endpoint)
 *     claims: { repository: acme/retail-sales, ref: refs/heads/main }
 * ```
 *
 * Names follow the control plane's rules. Every reference must resolve inside the file
 * (a team, or one listed under external_teams; a service account; a namespace or one of its parents: permissions and grants
 * on a namespace apply to its subtree), because a typo would otherwise surface only at
 * apply, half-way through. The same binding or grant listed twice is an error too: the
 * API would refuse the second create.
 */
import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { z } from "zod";
import { ModuleError } from "../errors.ts";
import { namespaceSchema, TEAM_PATTERN } from "../repo/config-schemas.ts";
import type { SourceLocation } from "../repo/domain-model.ts";
import { parseYamlFile, validateYaml, yamlPosition, type YamlPath, type YamlSource } from "../repo/yaml-file.ts";

export const ROLES = ["viewer", "developer", "maintainer", "executor"] as const;
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
/** The control plane refuses these as a rule's claims (issuer and audience have fields; the others change on every token). */
const RESERVED_CLAIMS = new Set(["iss", "aud", "exp", "nbf", "iat", "jti"]);
export const GRANT_KINDS = ["trigger", "subflow"] as const;

const NAME_RULE = "a lowercase letter, then lowercase letters, digits, '_' or '-' (at most 63)";
const teamName = z.string({ error: "a team name such as sales" }).regex(TEAM_PATTERN, `a team name: ${NAME_RULE}`);
const accountName = z.string({ error: "a service account name such as sales-ci" }).regex(TEAM_PATTERN, `a service account name: ${NAME_RULE}`);
const namespace = namespaceSchema;
const description = z.string({ error: "a description as a string" }).max(2000, "a description of at most 2000 characters");
const labels = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, "a label key: a lowercase letter, then lowercase letters, digits, '_' or '-'"),
  z.string({ error: "a label value as a string (quote numbers and booleans)" }).max(256),
  { error: "a mapping of label keys to values" },
);
/** `sales:` with nothing after it is an empty entry. */
const entry = <S extends z.ZodType>(schema: S) => schema.nullable().transform((v): z.output<S> => (v ?? {}) as z.output<S>);

export const platformFileSchema = z.strictObject(
  {
    external_teams: z.array(teamName, { error: "a list of team names, such as [platform]" }).optional(),
    teams: z.record(teamName, entry(z.strictObject({ description: description.optional() }, { error: "a mapping with description" })), { error: "a mapping of team names to {description}" }).optional(),
    namespaces: z
      .record(
        namespace,
        z.strictObject(
          { owner_team: teamName, description: description.optional(), labels: labels.optional() },
          { error: "a mapping with owner_team, description and labels" },
        ),
        { error: "a mapping of namespaces to {owner_team, description, labels}" },
      )
      .optional(),
    service_accounts: z
      .record(
        accountName,
        z.strictObject(
          { team: teamName, description: description.optional(), keys: z.boolean({ error: "true or false" }).optional() },
          { error: "a mapping with team, description and keys" },
        ),
        { error: "a mapping of service account names to {team, description, keys}" },
      )
      .optional(),
    role_bindings: z
      .array(
        z.strictObject(
          { namespace, role: z.enum(ROLES), team: teamName.optional(), service_account: accountName.optional() },
          { error: "a mapping with namespace, role, and team or service_account" },
        ),
        { error: "a list of role bindings" },
      )
      .optional(),
    trigger_grants: z
      .array(
        z.strictObject(
          {
            upstream_namespace: namespace,
            upstream_flow: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/, "a flow id such as sales_ods.orders").optional(),
            downstream_namespace: namespace,
            kinds: z.array(z.enum(GRANT_KINDS), { error: "a list of trigger and/or subflow" }).min(1, "at least one of trigger, subflow").optional(),
          },
          { error: "a mapping with upstream_namespace, upstream_flow, downstream_namespace and kinds" },
        ),
        { error: "a list of trigger grants" },
      )
      .optional(),
    external_service_accounts: z.array(accountName, { error: "a list of service account names, such as [platform-admin]" }).optional(),
    federations: z
      .array(
        z.strictObject(
          {
            service_account: accountName,
            issuer: z
              .string({ error: "an issuer URL such as https://token.actions.githubusercontent.com" })
              .regex(/^(https:\/\/[^\s?#]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/[^\s?#]*)?)$/, "an https:// issuer URL (http only on loopback), such as https://token.actions.githubusercontent.com")
              .optional(),
            audience: z.string({ error: "the audience the workflow asks its ID token for (the provider's oidc_audience, by default the control plane's URL)" }).regex(/^\S{1,256}$/, "an audience without spaces (at most 256 characters)"),
            claims: z
              .record(
                z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/, "a claim name such as repository, ref or environment"),
                z.string({ error: "a claim value as a string (quote numbers)" }).min(1, "a non-empty claim value").max(1000),
                { error: "a mapping of claim names to the exact values the token must carry, such as { repository: acme/retail-sales, ref: refs/heads/main }" },
              ),
            description: description.optional(),
          },
          { error: "a mapping with service_account, issuer, audience, claims and description" },
        ),
        { error: "a list of federation rules" },
      )
      .optional(),
    policies: z
      .array(
        z.strictObject(
          {
            name: z.string({ error: "a policy name such as flows-have-an-owner" }).regex(/^[a-z][a-z0-9_-]{0,62}$/, "a policy name: a lowercase letter, then lowercase letters, digits, '_' or '-' (at most 63)"),
            namespace,
            applies_to: z.enum(["flow", "table"], { error: "flow or table" }),
            expression: z.string({ error: "a CEL expression as a string, such as has(object.labels.owner)" }).min(1, "a non-empty CEL expression").max(10_000),
            severity: z.enum(["error", "warning"], { error: "error or warning" }).optional(),
            message: z.string({ error: "the message the author of a failing object reads" }).min(1, "a non-empty message").max(1000),
          },
          { error: "a mapping with name, namespace, applies_to, expression, severity and message" },
        ),
        { error: "a list of platform policies" },
      )
      .optional(),
  },
  { error: "a mapping with external_teams, teams, namespaces, service_accounts, role_bindings, trigger_grants, external_service_accounts, federations and policies" },
);

export type Role = (typeof ROLES)[number];
export type GrantKind = (typeof GRANT_KINDS)[number];

export interface PlatformTeam { readonly name: string; readonly description?: string; readonly location: SourceLocation }
export interface PlatformNamespace { readonly name: string; readonly ownerTeam: string; readonly description?: string; readonly labels: Record<string, string>; readonly location: SourceLocation }
export interface PlatformServiceAccount { readonly name: string; readonly team: string; readonly description?: string; readonly keys: boolean; readonly location: SourceLocation }
export interface PlatformRoleBinding {
  readonly namespace: string;
  readonly role: Role;
  readonly subject: { readonly kind: "team" | "service_account"; readonly name: string };
  /** The declared namespace it applies under (itself or its nearest parent in the file). */
  readonly governingNamespace: string;
  readonly location: SourceLocation;
}
export interface PlatformTriggerGrant {
  readonly upstreamNamespace: string;
  readonly upstreamFlow?: string;
  readonly downstreamNamespace: string;
  readonly kinds: GrantKind[];
  readonly governingNamespaces: readonly [string, string];
  readonly location: SourceLocation;
}

export interface PlatformFederation {
  readonly serviceAccount: string;
  readonly issuer: string;
  readonly audience: string;
  readonly claims: Record<string, string>;
  readonly description?: string;
  /** Whether the account is managed by this file (not an external one). */
  readonly managedAccount: boolean;
  readonly location: SourceLocation;
}

export interface PlatformPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly appliesTo: "flow" | "table";
  readonly expression: string;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly location: SourceLocation;
}

export interface PlatformModel {
  readonly file: string;
  /** Teams referenced but not managed here. */
  readonly externalTeams: string[];
  /** Each list in file order. */
  readonly teams: PlatformTeam[];
  readonly namespaces: PlatformNamespace[];
  readonly serviceAccounts: PlatformServiceAccount[];
  readonly roleBindings: PlatformRoleBinding[];
  readonly triggerGrants: PlatformTriggerGrant[];
  readonly federations: PlatformFederation[];
  readonly policies: PlatformPolicy[];
}

/** Reads platform.yaml at `path` (errors name the path as given). */
export function readPlatformFile(path: string): PlatformModel {
  const file = posix.normalize(path.split("\\").join("/"));
  if (!existsSync(path)) throw new ModuleError({ file, problem: "no such file", expected: "platform.yaml, the platform team's governance file (the path prop of MeshPlatform)" });
  return parsePlatformFile(file, readFileSync(path, "utf8"));
}

/** Parses and checks platform.yaml; `file` is how errors name it. */
export function parsePlatformFile(file: string, text: string): PlatformModel {
  const src = parseYamlFile(file, text);
  const p = validateYaml(src, platformFileSchema);
  const at = (path: YamlPath, key = false): SourceLocation => ({ file, ...yamlPosition(src, path, key) });
  const teams = Object.entries(p.teams ?? {}).map(([name, t]) => ({ name, ...(t.description !== undefined ? { description: t.description } : {}), location: at(["teams", name], true) }));
  const external = new Set(p.external_teams ?? []);
  for (const [k, name] of (p.external_teams ?? []).entries()) {
    if (p.teams?.[name] !== undefined) fail(src, ["external_teams", k], `team "${name}" is both external and declared under teams`, name, "either managed here (teams) or existing already (external_teams)");
  }
  const teamNames = new Set([...teams.map((t) => t.name), ...external]);
  const needTeam = (name: string, path: YamlPath) => {
    if (!teamNames.has(name)) fail(src, path, `unknown team "${name}"`, name, `a team declared under teams or external_teams (${[...teamNames].join(", ") || "none declared"})`);
  };

  const namespaces = Object.entries(p.namespaces ?? {}).map(([name, n]) => {
    needTeam(n.owner_team, ["namespaces", name, "owner_team"]);
    return { name, ownerTeam: n.owner_team, ...(n.description !== undefined ? { description: n.description } : {}), labels: n.labels ?? {}, location: at(["namespaces", name], true) };
  });
  const declared = new Set(namespaces.map((n) => n.name));
  const governing = (ns: string, path: YamlPath): string => {
    for (let cut = ns; ; cut = cut.slice(0, cut.lastIndexOf("."))) {
      if (declared.has(cut)) return cut;
      if (!cut.includes(".")) break;
    }
    return fail(src, path, `namespace ${ns} is not declared, nor is any of its parents`, ns, `a namespace declared under namespaces, or below one (${[...declared].join(", ") || "none declared"})`);
  };

  const serviceAccounts = Object.entries(p.service_accounts ?? {}).map(([name, s]) => {
    needTeam(s.team, ["service_accounts", name, "team"]);
    return { name, team: s.team, ...(s.description !== undefined ? { description: s.description } : {}), keys: s.keys ?? true, location: at(["service_accounts", name], true) };
  });
  const accountNames = new Set(serviceAccounts.map((s) => s.name));

  const seenBindings = new Map<string, number>();
  const roleBindings = (p.role_bindings ?? []).map((b, k): PlatformRoleBinding => {
    const path = ["role_bindings", k];
    if ((b.team === undefined) === (b.service_account === undefined)) {
      fail(src, path, "a role binding names exactly one of team and service_account", b, "team: <team> or service_account: <service account>");
    }
    const subject = b.team !== undefined ? { kind: "team" as const, name: b.team } : { kind: "service_account" as const, name: b.service_account! };
    if (subject.kind === "team") needTeam(subject.name, [...path, "team"]);
    else if (!accountNames.has(subject.name)) fail(src, [...path, "service_account"], `unknown service account "${subject.name}"`, subject.name, `a service account declared under service_accounts (${[...accountNames].join(", ") || "none declared"})`);
    const identity = `${b.namespace} ${b.role} ${subject.kind} ${subject.name}`;
    const first = seenBindings.get(identity);
    if (first !== undefined) fail(src, path, `the same role binding as role_bindings[${first}]`, identity, "each binding listed once");
    seenBindings.set(identity, k);
    return { namespace: b.namespace, role: b.role, subject, governingNamespace: governing(b.namespace, [...path, "namespace"]), location: at(path) };
  });

  const seenGrants = new Map<string, number>();
  const triggerGrants = (p.trigger_grants ?? []).map((g, k): PlatformTriggerGrant => {
    const path = ["trigger_grants", k];
    if (g.upstream_namespace === g.downstream_namespace) fail(src, [...path, "downstream_namespace"], "a grant from a namespace to itself", g.downstream_namespace, "another namespace (flows of one namespace need no grant)");
    const identity = `${g.upstream_namespace}/${g.upstream_flow ?? "*"} → ${g.downstream_namespace}`;
    const first = seenGrants.get(identity);
    if (first !== undefined) fail(src, path, `the same trigger grant as trigger_grants[${first}]`, identity, "each grant listed once (list every kind in one entry)");
    seenGrants.set(identity, k);
    const governingNamespaces = [governing(g.upstream_namespace, [...path, "upstream_namespace"]), governing(g.downstream_namespace, [...path, "downstream_namespace"])] as const;
    return {
      upstreamNamespace: g.upstream_namespace,
      ...(g.upstream_flow !== undefined ? { upstreamFlow: g.upstream_flow } : {}),
      downstreamNamespace: g.downstream_namespace,
      kinds: [...new Set<GrantKind>(g.kinds ?? ["trigger"])].sort(),
      governingNamespaces,
      location: at(path),
    };
  });

  const externalAccounts = new Set(p.external_service_accounts ?? []);
  for (const [k, name] of (p.external_service_accounts ?? []).entries()) {
    if (accountNames.has(name)) fail(src, ["external_service_accounts", k], `service account "${name}" is both external and declared under service_accounts`, name, "either managed here (service_accounts) or existing already (external_service_accounts)");
  }
  const seenRules = new Map<string, number>();
  const federations = (p.federations ?? []).map((f, k): PlatformFederation => {
    const path = ["federations", k];
    if (!accountNames.has(f.service_account) && !externalAccounts.has(f.service_account)) {
      fail(src, [...path, "service_account"], `unknown service account "${f.service_account}"`, f.service_account, `a service account declared under service_accounts or external_service_accounts (${[...accountNames, ...externalAccounts].join(", ") || "none declared"})`);
    }
    const names = Object.keys(f.claims);
    if (names.length === 0) fail(src, [...path, "claims"], "a federation rule without claims would trust every token of the issuer", f.claims, "at least one claim, such as repository");
    for (const name of names) {
      if (RESERVED_CLAIMS.has(name)) fail(src, [...path, "claims", name], `${name} cannot be a rule's claim`, name, "claims other than iss, aud, exp, nbf, iat and jti (issuer and audience have their own keys)");
    }
    const issuer = f.issuer ?? GITHUB_ACTIONS_ISSUER;
    const claims = Object.fromEntries(Object.entries(f.claims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const identity = JSON.stringify([f.service_account, issuer, f.audience, claims]);
    const first = seenRules.get(identity);
    if (first !== undefined) fail(src, path, `the same federation rule as federations[${first}]`, f.service_account, "each rule listed once");
    seenRules.set(identity, k);
    return {
      serviceAccount: f.service_account,
      issuer,
      audience: f.audience,
      claims,
      ...(f.description !== undefined ? { description: f.description } : {}),
      managedAccount: accountNames.has(f.service_account),
      location: at(path),
    };
  });

  const seenPolicies = new Map<string, number>();
  const policies = (p.policies ?? []).map((x, k): PlatformPolicy => {
    const first = seenPolicies.get(x.name);
    if (first !== undefined) fail(src, ["policies", k, "name"], `policy "${x.name}" is also policies[${first}]`, x.name, "each policy name once");
    seenPolicies.set(x.name, k);
    // Whether the expression compiles is the API's to say (400 with its line and column), at apply.
    return { name: x.name, namespace: x.namespace, appliesTo: x.applies_to, expression: x.expression, severity: x.severity ?? "error", message: x.message, location: at(["policies", k]) };
  });

  return { file, externalTeams: [...external], teams, namespaces, serviceAccounts, roleBindings, triggerGrants, federations, policies };
}

function fail(src: YamlSource, path: YamlPath, problem: string, received: unknown, expected: string): never {
  throw new ModuleError({ file: src.file, ...yamlPosition(src, path), problem, received: typeof received === "string" ? received : JSON.stringify(received), expected });
}
