/**
 * The RBAC matrix (issue 2, "Prove it"): every endpoint × every kind of caller × the
 * namespace it acts on → the expected status, run against one real server.
 *
 * Callers (PERSONAS): platform-admin; the owner team's member (implicit maintainer of
 * retail.sales by ownership, no binding); a developer bound on the PARENT namespace
 * `retail`; a viewer (bound through its team) and an executor on retail.sales; another
 * team's developer (bound on `finance`); no credentials; an expired token (the admin's,
 * signed with the server's own secret: only the expiry is wrong).
 *
 * Namespaces (SCOPES), relative to the sales team: own `retail.sales`, child
 * `retail.sales.crm`, sibling `retail.supply` (team supply), other team's `finance`,
 * and the parent `retail` (team platform) — where escalation would start.
 *
 * The expected answer is derived from two literal tables written from SPEC §2, not from
 * the server's code: what role each caller holds on each scope (ROLE_ON) and what each
 * role allows (ALLOWS). A row says what an endpoint needs (`need`) and how to call it so
 * that it succeeds when allowed. Denied → 403 (problem+json naming the permission and
 * the namespace for namespace permissions), unauthenticated → 401, allowed → `ok`.
 *
 * What is organisation-wide (README "Who may read what"): the directory — teams, service
 * accounts (name, team, description; never keys), namespaces with their owners, role
 * bindings and trigger grants — is readable by every authenticated caller, so its rows
 * say `need: "authenticated"`; what a namespace holds (flows, their revisions and
 * dependencies, tables) needs `namespace.read` there, and its audit events `audit.read`.
 *
 * Coverage cannot silently drop: the first test reads the server's declared routes
 * (`allRoutes()`, built without a database) and fails for a route without a row.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, type Answer } from "./support/client.ts";
import { declaredRoutes } from "./support/route-catalogue.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { expiredToken, serverJwtSecret } from "./support/tokens.ts";

// ---------------------------------------------------------------------------------
// The model: callers, namespaces, roles (SPEC §2)
// ---------------------------------------------------------------------------------

const PERSONAS = ["platform-admin", "owner-maintainer", "parent-developer", "viewer", "executor", "other-team-developer", "anonymous", "expired-token"] as const;
type Persona = (typeof PERSONAS)[number];

const SCOPES = ["own", "child", "sibling", "other", "parent"] as const;
type Scope = (typeof SCOPES)[number];
const NS: Record<Scope, string> = { own: "retail.sales", child: "retail.sales.crm", sibling: "retail.supply", other: "finance", parent: "retail" };
const OWNER: Record<Scope, string> = { own: "sales", child: "sales", sibling: "supply", other: "finance", parent: "platform" };
/** A BigQuery dataset per scope (a dataset belongs to one namespace). */
const DATASET: Record<Scope, string> = { own: "mx_sales", child: "mx_sales_crm", sibling: "mx_supply", other: "mx_finance", parent: "mx_retail" };

type Role = "viewer" | "executor" | "developer" | "maintainer";
type Permission = "namespace.read" | "execution.trigger" | "execution.kill" | "execution.restart" | "flow.write" | "table.write" | "access.manage" | "audit.read";

/** What each role allows (SPEC §2). */
const ALLOWS: Record<Role, readonly Permission[]> = {
  viewer: ["namespace.read"],
  executor: ["namespace.read", "execution.trigger"],
  developer: ["namespace.read", "execution.trigger", "execution.kill", "execution.restart", "flow.write", "table.write"],
  maintainer: ["namespace.read", "execution.trigger", "execution.kill", "execution.restart", "flow.write", "table.write", "access.manage", "audit.read"],
};

/** The role each named caller holds on each scope (absent = none). Bindings apply to the subtree. */
const ROLE_ON: Record<Exclude<Persona, "platform-admin" | "anonymous" | "expired-token">, Partial<Record<Scope, Role>>> = {
  "owner-maintainer": { own: "maintainer", child: "maintainer" }, // team sales owns retail.sales (and so its subtree)
  "parent-developer": { own: "developer", child: "developer", sibling: "developer", parent: "developer" }, // developer bound on `retail`
  viewer: { own: "viewer", child: "viewer" }, // its team is bound viewer on retail.sales
  executor: { own: "executor", child: "executor" }, // bound executor on retail.sales
  "other-team-developer": { other: "developer" }, // developer bound on `finance`
};

function can(persona: Persona, permission: Permission, scope: Scope): boolean {
  if (persona === "platform-admin") return true;
  if (persona === "anonymous" || persona === "expired-token") return false;
  const role = ROLE_ON[persona][scope];
  return role !== undefined && ALLOWS[role].includes(permission);
}

// ---------------------------------------------------------------------------------
// Rows: one (or more) per declared endpoint
// ---------------------------------------------------------------------------------

/** A permission list means all of them (on the scope's namespace). */
type Need = "public" | "authenticated" | "platform-admin" | Permission | readonly Permission[];

interface Cell {
  readonly persona: Persona;
  /** undefined for rows whose access does not depend on a namespace. */
  readonly scope: Scope | undefined;
  /** The scope's namespace (NS.own for unscoped rows). */
  readonly ns: string;
  /** A fresh number per cell, for unique names. */
  readonly n: number;
  /** What `setup` prepared (as the admin) for this cell. */
  readonly fixture: Record<string, string>;
}

interface Request {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

interface Row {
  /** `METHOD /path` exactly as declared (see declaredRoutes()). */
  readonly route: string;
  /** Several rows may cover one route (e.g. with and without a namespace). */
  readonly variant?: string;
  readonly need: Need;
  /** Run once per scope (namespace-dependent) or once in all. */
  readonly scoped: boolean;
  /** Statuses that mean "done" when the caller is allowed. */
  readonly ok: readonly number[];
  /** Prepared by the admin before the call (fresh objects for deletions). */
  readonly setup?: (cell: Omit<Cell, "fixture">) => Promise<Record<string, string>>;
  readonly request: (cell: Cell) => Request;
  /** Extra check on an allowed answer. */
  readonly check?: (answer: Answer, cell: Cell) => string | undefined;
  /** Run the callers one after the other (rows whose allowed calls touch the same object). */
  readonly serial?: boolean;
}

let server: TestServer;
let admin: ApiClient;
const keys = {} as Record<Persona, string | undefined>;
const fixed: Record<string, string> = {};

const yaml = (ns: string, id: string, extra = "") => `id: ${id}\nnamespace: ${ns}\ntasks:\n  - id: log\n    type: core.log\n    message: hello\n${extra}`;
const triggerOn = (ns: string, id: string) => `triggers:\n  - id: after\n    type: flow\n    upstream:\n      - { namespace: ${ns}, flowId: ${id} }\n`;
const tableBody = (description = "") => ({ schema: { fields: [{ name: "id", type: "INT64", mode: "REQUIRED" }, { name: "v", type: "STRING", mode: "NULLABLE" }] }, feedType: "WRITE_APPEND", description });

async function must(answer: Promise<Answer>, what: string, statuses: number[] = [200, 201]): Promise<Answer> {
  const a = await answer;
  if (!statuses.includes(a.status)) throw new Error(`setup: ${what} answered ${a.status} ${JSON.stringify(a.body)}`);
  return a;
}

const GOVERNANCE_ROWS: Row[] = [
  // identity
  {
    route: "POST /auth/token", need: "public", scoped: false, ok: [200],
    // The body carries the caller's API key (the admin's for the two without one); the header is irrelevant here.
    request: (c) => ({ method: "POST", path: "/auth/token", body: { api_key: c.persona === "expired-token" || c.persona === "anonymous" ? server.adminKey : keys[c.persona] } }),
  },
  { route: "GET /whoami", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/whoami" }) },
  // teams (organisation-wide directory: any authenticated caller reads them)
  { route: "POST /teams", need: "platform-admin", scoped: false, ok: [201], request: (c) => ({ method: "POST", path: "/teams", body: { name: `mx-team-${c.n}` } }) },
  { route: "GET /teams", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/teams?limit=5" }) },
  { route: "GET /teams/{name}", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/teams/sales" }) },
  { route: "PATCH /teams/{name}", need: "platform-admin", scoped: false, ok: [200], request: (c) => ({ method: "PATCH", path: "/teams/fodder", body: { description: `d${c.n}` } }) },
  {
    route: "DELETE /teams/{name}", need: "platform-admin", scoped: false, ok: [204],
    setup: async (c) => (await must(admin.post("/teams", { name: `mx-del-${c.n}` }), "team")).body && { team: `mx-del-${c.n}` },
    request: (c) => ({ method: "DELETE", path: `/teams/${c.fixture["team"]}` }),
  },
  // service accounts and keys (accounts are in the directory; their keys are the platform team's)
  { route: "POST /service-accounts", need: "platform-admin", scoped: false, ok: [201], request: (c) => ({ method: "POST", path: "/service-accounts", body: { name: `mx-sa-${c.n}`, team: "fodder" } }) },
  { route: "GET /service-accounts", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/service-accounts?limit=5" }) },
  { route: "GET /service-accounts/{name}", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/service-accounts/fodder-sa" }) },
  { route: "PATCH /service-accounts/{name}", need: "platform-admin", scoped: false, ok: [200], request: (c) => ({ method: "PATCH", path: "/service-accounts/fodder-sa", body: { description: `d${c.n}` } }) },
  {
    route: "DELETE /service-accounts/{name}", need: "platform-admin", scoped: false, ok: [204],
    setup: async (c) => {
      await must(admin.post("/service-accounts", { name: `mx-del-sa-${c.n}`, team: "fodder" }), "service account");
      return { sa: `mx-del-sa-${c.n}` };
    },
    request: (c) => ({ method: "DELETE", path: `/service-accounts/${c.fixture["sa"]}` }),
  },
  {
    route: "POST /service-accounts/{name}/keys", variant: "for another account", need: "platform-admin", scoped: false, ok: [201],
    request: () => ({ method: "POST", path: "/service-accounts/fodder-sa/keys", body: {} }),
    check: (a) => (typeof a.body?.key === "string" && a.body.key.startsWith("mp_") ? undefined : "no key in the answer"),
  },
  {
    // Minting yourself a second key (e.g. one without expiry) is key management too.
    route: "POST /service-accounts/{name}/keys", variant: "for the caller's own account", need: "platform-admin", scoped: false, ok: [201],
    request: (c) => ({ method: "POST", path: `/service-accounts/${SA_OF[c.persona] ?? "platform-admin"}/keys`, body: {} }),
  },
  { route: "GET /service-accounts/{name}/keys", need: "platform-admin", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/service-accounts/fodder-sa/keys" }) },
  {
    route: "GET /service-accounts/{name}/keys/{id}", need: "platform-admin", scoped: false, ok: [200],
    setup: async () => ({ id: (await must(admin.post("/service-accounts/fodder-sa/keys", {}), "key")).body.id }),
    request: (c) => ({ method: "GET", path: `/service-accounts/fodder-sa/keys/${c.fixture["id"]}` }),
    check: (a) => (a.body?.key === undefined && typeof a.body?.prefix === "string" ? undefined : "the secret must never be shown again"),
  },
  {
    route: "DELETE /service-accounts/{name}/keys/{id}", need: "platform-admin", scoped: false, ok: [200],
    setup: async () => ({ id: (await must(admin.post("/service-accounts/fodder-sa/keys", {}), "key")).body.id }),
    request: (c) => ({ method: "DELETE", path: `/service-accounts/fodder-sa/keys/${c.fixture["id"]}` }),
  },
  // federation rules (OIDC): credentials like keys, so the platform team's
  {
    route: "POST /service-accounts/{name}/federations", need: "platform-admin", scoped: false, ok: [201],
    request: (c) => ({ method: "POST", path: "/service-accounts/fodder-sa/federations", body: { issuer: "https://token.actions.githubusercontent.com", audience: "https://meshplane.test", claims: { repository: `acme/mx-${c.n}` } } }),
  },
  { route: "GET /service-accounts/{name}/federations", need: "platform-admin", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/service-accounts/fodder-sa/federations" }) },
  {
    route: "GET /service-accounts/{name}/federations/{id}", need: "platform-admin", scoped: false, ok: [200],
    setup: async (c) => ({ id: (await must(admin.post("/service-accounts/fodder-sa/federations", { issuer: "https://token.actions.githubusercontent.com", audience: "https://meshplane.test", claims: { repository: `acme/mx-get-${c.n}` } }), "federation")).body.id }),
    request: (c) => ({ method: "GET", path: `/service-accounts/fodder-sa/federations/${c.fixture["id"]}` }),
  },
  {
    route: "DELETE /service-accounts/{name}/federations/{id}", need: "platform-admin", scoped: false, ok: [204],
    setup: async (c) => ({ id: (await must(admin.post("/service-accounts/fodder-sa/federations", { issuer: "https://token.actions.githubusercontent.com", audience: "https://meshplane.test", claims: { repository: `acme/mx-del-${c.n}` } }), "federation")).body.id }),
    request: (c) => ({ method: "DELETE", path: `/service-accounts/fodder-sa/federations/${c.fixture["id"]}` }),
  },
  // namespaces: created, changed and deleted by the platform team only, even inside one's own subtree;
  // read (name, owner team) by any authenticated caller: the directory
  // Policies govern a namespace that no other row writes in, so they refuse nothing here.
  {
    route: "PUT /policies/{name}", need: "platform-admin", scoped: false, ok: [201],
    request: (c) => ({ method: "PUT", path: `/policies/mx-pol-${c.n}`, body: { namespace: "mx_policies", appliesTo: "flow", expression: "true", severity: "warning", message: "m" } }),
  },
  { route: "GET /policies", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/policies" }) },
  {
    route: "GET /policies/{name}", need: "authenticated", scoped: false, ok: [200],
    setup: async (c) => ({ name: (await must(admin.put(`/policies/mx-get-${c.n}`, { namespace: "mx_policies", appliesTo: "table", expression: "true", severity: "warning", message: "m" }), "policy")).body.name }),
    request: (c) => ({ method: "GET", path: `/policies/${c.fixture["name"]}` }),
  },
  {
    route: "DELETE /policies/{name}", need: "platform-admin", scoped: false, ok: [204],
    setup: async (c) => ({ name: (await must(admin.put(`/policies/mx-del-${c.n}`, { namespace: "mx_policies", appliesTo: "flow", expression: "true", severity: "warning", message: "m" }), "policy")).body.name }),
    request: (c) => ({ method: "DELETE", path: `/policies/${c.fixture["name"]}` }),
  },
  { route: "POST /namespaces", need: "platform-admin", scoped: true, ok: [201], request: (c) => ({ method: "POST", path: "/namespaces", body: { name: `${c.ns}.mx_${c.n}`, ownerTeam: OWNER[c.scope!] } }) },
  { route: "GET /namespaces", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/namespaces?limit=5" }) },
  { route: "GET /namespaces/{name}", need: "authenticated", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/namespaces/${c.ns}` }) },
  { route: "GET /namespaces/{name}/access", need: "authenticated", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/namespaces/${c.ns}/access` }) },
  { route: "PATCH /namespaces/{name}", need: "platform-admin", scoped: true, ok: [200], request: (c) => ({ method: "PATCH", path: `/namespaces/${c.ns}`, body: { description: `d${c.n}` } }) },
  {
    route: "PATCH /namespaces/{name}", variant: "taking ownership", need: "platform-admin", scoped: true, ok: [200],
    // Re-states the current owner: allowed callers change nothing, the others must be refused.
    request: (c) => ({ method: "PATCH", path: `/namespaces/${c.ns}`, body: { ownerTeam: OWNER[c.scope!] } }),
  },
  {
    route: "DELETE /namespaces/{name}", need: "platform-admin", scoped: true, ok: [204],
    setup: async (c) => {
      await must(admin.post("/namespaces", { name: `${c.ns}.del_${c.n}`, ownerTeam: OWNER[c.scope!] }), "namespace");
      return { name: `${c.ns}.del_${c.n}` };
    },
    request: (c) => ({ method: "DELETE", path: `/namespaces/${c.fixture["name"]}` }),
  },
  // role bindings: maintainers manage bindings inside their namespaces; global roles are the platform team's;
  // read by any authenticated caller (the directory: who may do what where)
  { route: "POST /role-bindings", need: "access.manage", scoped: true, ok: [201, 200], serial: true, request: (c) => ({ method: "POST", path: "/role-bindings", body: { namespace: c.ns, role: "viewer", team: "fodder" } }) },
  {
    route: "POST /role-bindings", variant: "maintainer role to a service account", need: "access.manage", scoped: true, ok: [201, 200], serial: true,
    request: (c) => ({ method: "POST", path: "/role-bindings", body: { namespace: c.ns, role: "maintainer", serviceAccount: "fodder-sa" } }),
  },
  {
    route: "POST /role-bindings", variant: "global platform-admin", need: "platform-admin", scoped: false, ok: [201, 200], serial: true,
    request: () => ({ method: "POST", path: "/role-bindings", body: { role: "platform-admin", serviceAccount: "fodder-sa" } }),
  },
  { route: "GET /role-bindings", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/role-bindings?limit=5" }) },
  { route: "GET /role-bindings/{id}", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: `/role-bindings/${fixed["bindingId"]}` }) },
  {
    route: "DELETE /role-bindings/{id}", need: "access.manage", scoped: true, ok: [204], serial: true,
    setup: async (c) => ({ id: (await must(admin.post("/role-bindings", { namespace: c.ns, role: "executor", team: "fodder" }), "binding")).body.id }),
    request: (c) => ({ method: "DELETE", path: `/role-bindings/${c.fixture["id"]}` }),
  },
  {
    route: "DELETE /role-bindings/{id}", variant: "a global platform-admin binding", need: "platform-admin", scoped: false, ok: [204], serial: true,
    setup: async () => ({ id: (await must(admin.post("/role-bindings", { role: "platform-admin", team: "fodder" }), "binding")).body.id }),
    request: (c) => ({ method: "DELETE", path: `/role-bindings/${c.fixture["id"]}` }),
  },
  // audit: maintainers read their subtree's events; the whole log is the platform team's
  { route: "GET /audit", variant: "a namespace's events", need: "audit.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/audit?namespace=${c.ns}&limit=5` }) },
  { route: "GET /audit", variant: "all events", need: "platform-admin", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/audit?limit=5" }) },
];

// ---------------------------------------------------------------------------------
// Flows, tables and trigger grants (the domain routes). Add rows here as routes appear.
// ---------------------------------------------------------------------------------

const DOMAIN_ROWS: Row[] = [
  // flows
  {
    route: "PUT /flows/{namespace}/{id}", need: "flow.write", scoped: true, ok: [201, 200],
    request: (c) => ({ method: "PUT", path: `/flows/${c.ns}/mx_${c.n}`, body: yaml(c.ns, `mx_${c.n}`) }),
  },
  { route: "GET /flows/{namespace}/{id}", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/flows/${c.ns}/probe` }) },
  { route: "GET /flows/{namespace}", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/flows/${c.ns}?limit=5` }) },
  { route: "GET /flows/{namespace}/{id}/revisions", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/flows/${c.ns}/probe/revisions` }) },
  { route: "GET /flows/{namespace}/{id}/revisions/{revision}", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/flows/${c.ns}/probe/revisions/1` }) },
  // the mesh map: what the caller reads of every namespace, filtered (test/mesh.test.ts)
  { route: "GET /mesh", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/mesh" }) },
  { route: "GET /flows/{namespace}/{id}/dependencies", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/flows/${c.ns}/probe/dependencies?direction=down&recursive=true` }) },
  {
    route: "DELETE /flows/{namespace}/{id}", need: "flow.write", scoped: true, ok: [204],
    setup: async (c) => {
      await must(admin.put(`/flows/${c.ns}/del_${c.n}`, yaml(c.ns, `del_${c.n}`)), "flow");
      return { id: `del_${c.n}` };
    },
    request: (c) => ({ method: "DELETE", path: `/flows/${c.ns}/${c.fixture["id"]}` }),
  },
  {
    route: "DELETE /flows/{namespace}/{id}", variant: "?force=true with dependents", need: ["flow.write", "access.manage"], scoped: true, ok: [204],
    setup: async (c) => {
      await must(admin.put(`/flows/${c.ns}/up_${c.n}`, yaml(c.ns, `up_${c.n}`)), "upstream flow");
      await must(admin.put(`/flows/${c.ns}/down_${c.n}`, yaml(c.ns, `down_${c.n}`, triggerOn(c.ns, `up_${c.n}`))), "downstream flow");
      return { id: `up_${c.n}` };
    },
    request: (c) => ({ method: "DELETE", path: `/flows/${c.ns}/${c.fixture["id"]}?force=true` }),
  },
  {
    route: "POST /flows/validate", need: "authenticated", scoped: true, ok: [200],
    request: (c) => ({ method: "POST", path: "/flows/validate", body: yaml(c.ns, `v_${c.n}`) }),
    // Anyone may ask, but the verdict must reflect the caller's own right to write there.
    check: (a, c) => {
      const expected = can(c.persona, "flow.write", c.scope!);
      const permissionProblems = (a.body?.problems ?? []).filter((p: { kind: string }) => p.kind === "permission");
      if (a.body?.valid !== expected) return `valid: ${a.body?.valid}, expected ${expected} (problems: ${JSON.stringify(a.body?.problems)})`;
      if (!expected && permissionProblems.length === 0) return "no permission problem reported";
      return undefined;
    },
  },
  // tables
  {
    route: "PUT /tables/{namespace}/{dataset}.{table}", need: "table.write", scoped: true, ok: [201, 200],
    request: (c) => ({ method: "PUT", path: `/tables/${c.ns}/${DATASET[c.scope!]}.t_${c.n}`, body: tableBody() }),
  },
  {
    route: "POST /tables/{namespace}/{dataset}.{table}/check", need: "table.write", scoped: true, ok: [200],
    request: (c) => ({ method: "POST", path: `/tables/${c.ns}/${DATASET[c.scope!]}.probe/check`, body: tableBody("changed") }),
  },
  { route: "GET /tables/{namespace}/{dataset}.{table}", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/tables/${c.ns}/${DATASET[c.scope!]}.probe` }) },
  { route: "GET /tables/{namespace}/{dataset}.{table}/versions", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/tables/${c.ns}/${DATASET[c.scope!]}.probe/versions` }) },
  { route: "GET /tables/{namespace}/{dataset}.{table}/consumers", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/tables/${c.ns}/${DATASET[c.scope!]}.probe/consumers` }) },
  { route: "GET /tables/{namespace}/{dataset}.{table}/rows", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/tables/${c.ns}/${DATASET[c.scope!]}.probe/rows?limit=5` }) },
  { route: "POST /warehouse/query", need: "platform-admin", scoped: false, ok: [200], request: () => ({ method: "POST", path: "/warehouse/query", body: { sql: "SELECT 1 AS one" } }) },
  {
    route: "POST /warehouse/tables/{table}/load", need: "platform-admin", scoped: false, ok: [200],
    request: (c) => ({ method: "POST", path: `/warehouse/tables/landing.probe_${c.n}/load?format=csv`, body: "a,b\n1,2\n", headers: { "content-type": "application/octet-stream" } }),
  },
  { route: "GET /tables/{namespace}", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/tables/${c.ns}?limit=5` }) },
  {
    route: "DELETE /tables/{namespace}/{dataset}.{table}", need: "table.write", scoped: true, ok: [204],
    setup: async (c) => {
      await must(admin.put(`/tables/${c.ns}/${DATASET[c.scope!]}.del_${c.n}`, tableBody()), "table");
      return { table: `${DATASET[c.scope!]}.del_${c.n}` };
    },
    request: (c) => ({ method: "DELETE", path: `/tables/${c.ns}/${c.fixture["table"]}` }),
  },
  // trigger grants: created and revoked by a maintainer of the upstream (producer) namespace; read by any
  // authenticated caller (the directory: a consumer must find which grant it needs and who gives it)
  {
    route: "POST /trigger-grants", need: "access.manage", scoped: true, ok: [201, 200], serial: true,
    request: (c) => ({ method: "POST", path: "/trigger-grants", body: { upstreamNamespace: c.ns, downstreamNamespace: c.scope === "other" ? NS.sibling : NS.other, kinds: ["trigger"] } }),
  },
  {
    route: "POST /trigger-grants", variant: "granting oneself another team's flows", need: "access.manage", scoped: true, ok: [201, 200], serial: true,
    // The downstream is the caller's own namespace; what counts is the upstream's permission.
    request: (c) => ({ method: "POST", path: "/trigger-grants", body: { upstreamNamespace: c.ns, upstreamFlow: "probe", downstreamNamespace: c.scope === "own" ? NS.child : NS.own, kinds: ["trigger", "subflow"] } }),
  },
  { route: "GET /trigger-grants", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/trigger-grants?limit=5" }) },
  { route: "GET /trigger-grants/{id}", need: "authenticated", scoped: false, ok: [200], request: () => ({ method: "GET", path: `/trigger-grants/${fixed["grantId"]}` }) },
  {
    route: "DELETE /trigger-grants/{id}", need: "access.manage", scoped: true, ok: [204],
    setup: async (c) => {
      const body = { upstreamNamespace: c.ns, upstreamFlow: `g_${c.n}`, downstreamNamespace: c.scope === "other" ? NS.sibling : NS.other, kinds: ["subflow"] };
      return { id: (await must(admin.post("/trigger-grants", body), "grant")).body.id };
    },
    request: (c) => ({ method: "DELETE", path: `/trigger-grants/${c.fixture["id"]}` }),
  },
  // executions: executors (and developers up) start them, readers read them
  { route: "POST /executions/{namespace}/{flowId}", need: "execution.trigger", scoped: true, ok: [201], request: (c) => ({ method: "POST", path: `/executions/${c.ns}/probe`, body: {} }) },
  { route: "GET /executions", variant: "a namespace subtree", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/executions?namespace=${c.ns}&limit=5` }) },
  { route: "GET /executions", variant: "every namespace", need: "platform-admin", scoped: false, ok: [200], request: () => ({ method: "GET", path: "/executions?limit=5" }) },
  { route: "GET /executions/{id}", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/executions/${fixed[`execution:${c.scope}`]}` }) },
  { route: "GET /executions/{id}/logs", need: "namespace.read", scoped: true, ok: [200], request: (c) => ({ method: "GET", path: `/executions/${fixed[`execution:${c.scope}`]}/logs?limit=5` }) },
  {
    // The probe execution has ended (a single core.log): the stream sends its history and closes.
    route: "GET /executions/{id}/follow", need: "namespace.read", scoped: true, ok: [200],
    request: (c) => ({ method: "GET", path: `/executions/${fixed[`execution:${c.scope}`]}/follow` }),
    check: (a) => (String(a.headers.get("content-type")).includes("text/event-stream") && String(a.body).includes("event: end") ? undefined : "not an event stream that ended"),
  },
  {
    // A fresh execution per cell, killed while it waits behind its flow's concurrency limit (held by a never-ending one).
    route: "POST /executions/{id}/kill", need: "execution.kill", scoped: true, ok: [202],
    setup: async (c) => ({ id: (await must(admin.post(`/executions/${c.ns}/gate`, {}), "queued execution", [201])).body.id }),
    request: (c) => ({ method: "POST", path: `/executions/${c.fixture["id"]}/kill` }),
    check: (a) => (a.body?.state === "KILLED" ? undefined : `state ${a.body?.state}, expected KILLED`),
  },
  {
    route: "POST /executions/{id}/restart", need: "execution.restart", scoped: true, ok: [202],
    setup: async (c) => {
      const id = (await must(admin.post(`/executions/${c.ns}/gate`, {}), "queued execution", [201])).body.id;
      await must(admin.post(`/executions/${id}/kill`), "kill", [202]);
      return { id };
    },
    request: (c) => ({ method: "POST", path: `/executions/${c.fixture["id"]}/restart` }),
  },
];

/**
 * Declared routes deliberately without a row yet. Each entry must say why; the coverage
 * test fails if an entry gets a row or is no longer declared, so this list cannot rot.
 */
const KNOWN_TODO: Record<string, string> = {};

const ROWS = [...GOVERNANCE_ROWS, ...DOMAIN_ROWS];

// ---------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------

/** The service account behind each named caller. */
const SA_OF: Partial<Record<Persona, string>> = {
  "platform-admin": "platform-admin",
  "owner-maintainer": "sales-ci",
  "parent-developer": "analytics-ci",
  viewer: "reader-bot",
  executor: "ingest-bot",
  "other-team-developer": "finance-dev",
};

async function setUp(): Promise<void> {
  const post = (path: string, body: unknown) => must(admin.post(path, body), `POST ${path} ${JSON.stringify(body)}`);
  for (const team of ["sales", "supply", "finance", "analytics", "readers", "robots", "finance-devs", "fodder"]) await post("/teams", { name: team });
  for (const scope of ["parent", "own", "child", "sibling", "other"] as const) await post("/namespaces", { name: NS[scope], ownerTeam: OWNER[scope] });
  const accounts: [Persona, string][] = [
    ["owner-maintainer", "sales"],
    ["parent-developer", "analytics"],
    ["viewer", "readers"],
    ["executor", "robots"],
    ["other-team-developer", "finance-devs"],
  ];
  for (const [persona, team] of accounts) await post("/service-accounts", { name: SA_OF[persona], team });
  await post("/service-accounts", { name: "fodder-sa", team: "fodder" });
  await post("/role-bindings", { namespace: "retail", role: "developer", serviceAccount: "analytics-ci" });
  await post("/role-bindings", { namespace: NS.own, role: "viewer", team: "readers" });
  await post("/role-bindings", { namespace: NS.own, role: "executor", serviceAccount: "ingest-bot" });
  await post("/role-bindings", { namespace: NS.other, role: "developer", serviceAccount: "finance-dev" });
  for (const [persona] of accounts) keys[persona] = (await post(`/service-accounts/${SA_OF[persona]}/keys`, {})).body.key;
  keys["platform-admin"] = server.adminKey;
  keys["expired-token"] = await expiredToken(admin, server.adminKey, serverJwtSecret(server.dataDir));
  keys["anonymous"] = undefined;
  fixed["bindingId"] = (await post("/role-bindings", { namespace: NS.sibling, role: "viewer", team: "fodder" })).body.id;
  for (const scope of SCOPES) {
    await must(admin.put(`/flows/${NS[scope]}/probe`, yaml(NS[scope], "probe")), "probe flow");
    await must(admin.put(`/tables/${NS[scope]}/${DATASET[scope]}.probe`, tableBody()), "probe table");
    fixed[`execution:${scope}`] = (await must(admin.post(`/executions/${NS[scope]}/probe?wait=true`, {}), "probe execution")).body.id;
    // `gate` admits one execution at a time and its first one never ends (a 1-hour retry
    // backoff of a task that fails): every later one waits QUEUED, for kill and restart rows.
    await must(admin.put(`/flows/${NS[scope]}/gate`, yaml(NS[scope], "gate", "concurrency: { limit: 1 }\n").replace(
      "  - id: log\n    type: core.log\n    message: hello\n",
      "  - id: log\n    type: notify.email\n    to: [a@b.co]\n    subject: s\n    retry: { type: constant, interval: PT1H, maxAttempts: 2 }\n",
    )), "gate flow");
    await must(admin.post(`/executions/${NS[scope]}/gate`, {}), "gate holder");
  }
  fixed["grantId"] = (await post("/trigger-grants", { upstreamNamespace: NS.sibling, downstreamNamespace: NS.own, kinds: ["trigger"] })).body.id;
}

function permissionsOf(need: Permission | readonly Permission[]): readonly Permission[] {
  return typeof need === "string" ? [need] : need;
}

function expectedFor(row: Row, persona: Persona, scope: Scope | undefined): { allowed: boolean; status: readonly number[] } {
  if (row.need === "public") return { allowed: true, status: row.ok };
  if (persona === "anonymous" || persona === "expired-token") return { allowed: false, status: [401] };
  let allowed: boolean;
  if (row.need === "authenticated") allowed = true;
  else if (row.need === "platform-admin") allowed = persona === "platform-admin";
  else allowed = permissionsOf(row.need).every((p) => can(persona, p, scope!));
  return { allowed, status: allowed ? row.ok : [403] };
}

interface Mismatch {
  readonly row: string;
  readonly persona: Persona;
  readonly scope: string;
  readonly expected: string;
  readonly got: number;
  readonly detail: string;
}

const allMismatches: Mismatch[] = [];
let cellsRun = 0;
let counter = 0;

async function runCell(row: Row, persona: Persona, scope: Scope | undefined): Promise<Mismatch | undefined> {
  const base = { persona, scope, ns: scope ? NS[scope] : NS.own, n: ++counter };
  const fixture = row.setup ? await row.setup(base) : {};
  const cell: Cell = { ...base, fixture };
  const req = row.request(cell);
  const client = admin.as(keys[persona]);
  const answer = await client.call(req.method, req.path, req.body, req.headers);
  cellsRun++;
  const exp = expectedFor(row, persona, scope);
  const label = { row: `${row.route}${row.variant ? ` (${row.variant})` : ""}`, persona, scope: scope ?? "-", got: answer.status };
  const fullDetail = typeof answer.body === "object" ? String(answer.body?.detail ?? JSON.stringify(answer.body)) : String(answer.body);
  const detail = fullDetail.slice(0, 240);
  if (!exp.status.includes(answer.status)) return { ...label, expected: exp.status.join("|"), detail };
  if (exp.allowed) {
    const problem = row.check?.(answer, cell);
    if (problem) return { ...label, expected: `${exp.status.join("|")} and ${problem}`, detail };
  } else {
    if (!String(answer.headers.get("content-type")).includes("application/problem+json")) return { ...label, expected: `${exp.status[0]} as problem+json`, detail };
    // A namespace permission refused names the permission and the namespace (SPEC §4).
    if (answer.status === 403 && row.need !== "platform-admin" && row.need !== "authenticated" && row.need !== "public") {
      const lacking = permissionsOf(row.need).filter((p) => !can(persona, p, scope!));
      if (!lacking.some((p) => fullDetail.includes(p)) || !fullDetail.includes(cell.ns)) return { ...label, expected: `403 naming ${lacking.join(" or ")} and ${cell.ns}`, detail };
    }
  }
  return undefined;
}

function table(mismatches: Mismatch[]): string {
  return mismatches.map((m) => `  ${m.row} | ${m.persona} | ${m.scope} | expected ${m.expected}, got ${m.got}: ${m.detail}`).join("\n");
}

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  await setUp();
});
afterAll(async () => {
  await server?.stop();
});

describe("RBAC matrix", () => {
  it("has a row for every declared route (and no row for a route that does not exist)", () => {
    const declared = new Set(declaredRoutes().map((r) => r.key));
    const covered = new Set(ROWS.map((r) => r.route));
    const missing = [...declared].filter((k) => !covered.has(k) && !(k in KNOWN_TODO));
    const stale = [...covered].filter((k) => !declared.has(k));
    const todoDone = Object.keys(KNOWN_TODO).filter((k) => covered.has(k) || !declared.has(k));
    expect(missing, `routes without a row in the RBAC matrix — add rows to ${"rbac-matrix.test.ts"}:\n${missing.join("\n")}`).toEqual([]);
    expect(stale, `rows for routes that are not declared (renamed?):\n${stale.join("\n")}`).toEqual([]);
    expect(todoDone, `KNOWN_TODO entries that are covered or gone: remove them`).toEqual([]);
    expect(declared.size).toBeGreaterThanOrEqual(25);
  });

  for (const row of ROWS) {
    const name = `${row.route}${row.variant ? ` (${row.variant})` : ""} — needs ${typeof row.need === "string" ? row.need : row.need.join(" + ")}${row.scoped ? ", per namespace" : ""}`;
    it(name, async () => {
      const mismatches: Mismatch[] = [];
      const cells = (row.scoped ? SCOPES : [undefined]).flatMap((scope) => PERSONAS.map((persona) => [persona, scope] as const));
      // The cells of a row run together (each has its own fixture), unless the row says otherwise.
      const results = row.serial ? [] : await Promise.all(cells.map(([persona, scope]) => runCell(row, persona, scope)));
      if (row.serial) for (const [persona, scope] of cells) results.push(await runCell(row, persona, scope));
      mismatches.push(...results.filter((m): m is Mismatch => m !== undefined));
      allMismatches.push(...mismatches);
      const allows = mismatches.filter((m) => m.got >= 200 && m.got < 300);
      expect(allows, `UNEXPECTED ALLOWS (2xx where 401/403 was expected):\n${table(allows)}`).toEqual([]);
      expect(mismatches, `cells not as expected:\n${table(mismatches)}`).toEqual([]);
    });
  }

  it("ran every cell, with zero unexpected allows overall", () => {
    const expectedCells = ROWS.reduce((n, r) => n + PERSONAS.length * (r.scoped ? SCOPES.length : 1), 0);
    expect(cellsRun).toBe(expectedCells);
    const allows = allMismatches.filter((m) => m.got >= 200 && m.got < 300);
    expect(allows, `UNEXPECTED ALLOWS:\n${table(allows)}`).toEqual([]);
  });
});
