/**
 * The governance API over HTTP on one real server (embedded PostgreSQL): teams, service
 * accounts and keys, namespaces (dotted hierarchy, owner team), role bindings, whoami
 * and the audit log (SPEC §2, §4, §8).
 *
 * - every mutation leaves one audit event with subject, action, before/after and the
 *   request id of the call that made it; maintainers read their subtree's events only;
 * - every list paginates (walked page by page, compared with one big page);
 * - bad input (names breaking the rules, unknown fields, malformed JSON, a 2 MiB body,
 *   no body) answers a clear 4xx problem+json and writes nothing: the rows are checked
 *   through GET and the audit log must not have grown;
 * - deleting a team that still owns namespaces is a 409 listing them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount, type Answer } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
});
afterAll(async () => {
  await server?.stop();
});

interface AuditEvent {
  id: string;
  subject: string;
  subjectKind: string;
  action: string;
  resourceType: string;
  resourceId: string;
  namespace: string | null;
  before: any;
  after: any;
  requestId: string | null;
}

async function latestAuditId(): Promise<string> {
  const r = await admin.get("/audit?limit=1");
  expect(r.status).toBe(200);
  return r.body.items[0]?.id ?? "0";
}

/** The audit events recorded since `sinceId` (oldest first), walking every page. */
async function eventsSince(sinceId: string): Promise<AuditEvent[]> {
  const all = await walk(admin, "/audit", 50);
  return (all as AuditEvent[]).filter((e) => BigInt(e.id) > BigInt(sinceId)).reverse();
}

/** Every item of a list, following nextCursor; checks the page shapes on the way. */
async function walk(client: ApiClient, path: string, limit: number): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const r: Answer = await client.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
    expect(Array.isArray(r.body.items)).toBe(true);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (cursor === null) return items;
    expect(r.body.items.length, "a page before the last one is full").toBe(limit);
  }
  throw new Error(`${path}: more than 10,000 pages`);
}

/** The call's request id (X-Request-Id), for matching its audit event. */
const requestIdOf = (a: Answer) => a.headers.get("x-request-id");

function expectProblem(a: Answer, status: number, detail?: RegExp) {
  expect(a.status, JSON.stringify(a.body)).toBe(status);
  expect(a.headers.get("content-type")).toContain("application/problem+json");
  expect(a.body).toMatchObject({ type: expect.stringMatching(/^urn:meshplane:problem:/), title: expect.any(String), status, detail: expect.any(String) });
  expect(JSON.stringify(a.body)).not.toMatch(/\bat .+\.ts:\d+/); // no stack trace
  if (detail) expect(a.body.detail).toMatch(detail);
}

describe("teams, service accounts, keys", () => {
  it("create, read, update and delete a team; each mutation audited with before/after and the request id", async () => {
    const since = await latestAuditId();
    const created = await admin.post("/teams", { name: "gov-sales", description: "Sales" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: "gov-sales", description: "Sales", createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect((await admin.get("/teams/gov-sales")).body).toEqual(created.body);
    const updated = await admin.patch("/teams/gov-sales", { description: "Sales & marketing" });
    expect(updated.status).toBe(200);
    expect(updated.body.description).toBe("Sales & marketing");
    const deleted = await admin.delete("/teams/gov-sales");
    expect(deleted.status).toBe(204);
    expectProblem(await admin.get("/teams/gov-sales"), 404, /gov-sales/);
    expectProblem(await admin.patch("/teams/gov-sales", { description: "x" }), 404);
    expectProblem(await admin.delete("/teams/gov-sales"), 404);

    const events = await eventsSince(since);
    expect(events.map((e) => e.action)).toEqual(["team.create", "team.update", "team.delete"]);
    for (const e of events) expect(e).toMatchObject({ subject: "platform-admin", subjectKind: "service-account", resourceType: "team", resourceId: "gov-sales" });
    expect(events[0]).toMatchObject({ before: null, after: { name: "gov-sales", description: "Sales" }, requestId: requestIdOf(created) });
    expect(events[1]).toMatchObject({ before: { description: "Sales" }, after: { description: "Sales & marketing" }, requestId: requestIdOf(updated) });
    expect(events[2]).toMatchObject({ before: { name: "gov-sales", description: "Sales & marketing" }, after: null, requestId: requestIdOf(deleted) });
  });

  it("service accounts and their keys: created, listed, updated, revoked, deleted — all audited, never a key in an event", async () => {
    await admin.post("/teams", { name: "gov-ci" });
    const since = await latestAuditId();
    const sa = await admin.post("/service-accounts", { name: "gov-ci-bot", team: "gov-ci", description: "CI" });
    expect(sa.status).toBe(201);
    expect(sa.body).toEqual({ name: "gov-ci-bot", team: "gov-ci", description: "CI", createdAt: expect.any(String), updatedAt: expect.any(String) });
    expectProblem(await admin.post("/service-accounts", { name: "gov-ci-bot", team: "gov-ci" }), 409, /already exists/);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const key = await admin.post("/service-accounts/gov-ci-bot/keys", { expiresAt });
    expect(key.status).toBe(201);
    expect(key.body).toMatchObject({ id: expect.any(String), key: expect.stringMatching(/^mp_/), serviceAccount: "gov-ci-bot", revokedAt: null });
    expect(Date.parse(key.body.expiresAt)).toBe(Date.parse(expiresAt));
    expect((await admin.patch("/service-accounts/gov-ci-bot", { description: "CI pipeline" })).body.description).toBe("CI pipeline");
    expect((await admin.delete(`/service-accounts/gov-ci-bot/keys/${key.body.id}`)).body.revokedAt).toEqual(expect.any(String));
    expect((await admin.get("/service-accounts?team=gov-ci")).body.items.map((a: { name: string }) => a.name)).toEqual(["gov-ci-bot"]);
    expect((await admin.delete("/service-accounts/gov-ci-bot")).status).toBe(204);
    expectProblem(await admin.get("/service-accounts/gov-ci-bot"), 404);
    expectProblem(await admin.post("/service-accounts/gov-ci-bot/keys", {}), 404);

    const events = await eventsSince(since);
    expect(events.map((e) => e.action)).toEqual(["service-account.create", "api-key.create", "service-account.update", "api-key.revoke", "service-account.delete"]);
    expect(events[1]).toMatchObject({ resourceType: "api-key", resourceId: key.body.id, after: { prefix: key.body.key.slice(0, 7), serviceAccount: "gov-ci-bot" } });
    expect(events[3]).toMatchObject({ before: { revokedAt: null }, after: { revokedAt: expect.any(String) } });
    expect(JSON.stringify(events)).not.toContain(key.body.key);
  });

  it("a service account needs an existing team", async () => {
    const since = await latestAuditId();
    const r = await admin.post("/service-accounts", { name: "gov-orphan", team: "no-such-team" });
    expectProblem(r, 400, /no-such-team/);
    expect(r.body.errors).toEqual([expect.objectContaining({ pointer: "/team" })]);
    expectProblem(await admin.get("/service-accounts/gov-orphan"), 404);
    expect(await latestAuditId()).toBe(since);
  });
});

describe("namespaces", () => {
  beforeAll(async () => {
    for (const t of ["ns-sales", "ns-supply", "ns-other"]) await admin.post("/teams", { name: t });
  });

  it("a dotted hierarchy owned by teams; the list filters by subtree on segment boundaries", async () => {
    const since = await latestAuditId();
    for (const [name, ownerTeam] of [["shop", "platform"], ["shop.sales", "ns-sales"], ["shop.sales.crm", "ns-sales"], ["shop.salesforce", "ns-other"], ["shop.supply", "ns-supply"]] as const) {
      const r = await admin.post("/namespaces", { name, ownerTeam, description: `the ${name} namespace`, labels: { tier: "gold" } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toEqual({ name, ownerTeam, description: `the ${name} namespace`, labels: { tier: "gold" }, createdAt: expect.any(String), updatedAt: expect.any(String) });
    }
    expectProblem(await admin.post("/namespaces", { name: "shop.sales", ownerTeam: "ns-sales" }), 409, /already exists/);
    // `_` is a LIKE wildcard: the subtree of shop.sales_eu must not take in shop.salesxeu.
    await admin.post("/namespaces", { name: "shop.sales_eu", ownerTeam: "ns-other" });
    await admin.post("/namespaces", { name: "shop.salesxeu.crm", ownerTeam: "ns-other" });
    expect((await admin.get("/namespaces?prefix=shop.sales_eu")).body.items.map((n: { name: string }) => n.name)).toEqual(["shop.sales_eu"]);
    const subtree = await admin.get("/namespaces?prefix=shop.sales");
    expect(subtree.body.items.map((n: { name: string }) => n.name)).toEqual(["shop.sales", "shop.sales.crm"]);
    const owned = await admin.get("/namespaces?ownerTeam=ns-sales");
    expect(owned.body.items.map((n: { name: string }) => n.name)).toEqual(["shop.sales", "shop.sales.crm"]);
    const events = await eventsSince(since);
    expect(events.map((e) => `${e.action} ${e.namespace}`)).toEqual([
      "namespace.create shop",
      "namespace.create shop.sales",
      "namespace.create shop.sales.crm",
      "namespace.create shop.salesforce",
      "namespace.create shop.supply",
      "namespace.create shop.sales_eu",
      "namespace.create shop.salesxeu.crm",
    ]);
  });

  it("changing the owner team moves the implicit maintainer role; the change is audited", async () => {
    const salesKey = await makeServiceAccount(admin, "ns-sales-ci", "ns-sales");
    const supplyKey = await makeServiceAccount(admin, "ns-supply-ci", "ns-supply");
    const sales = admin.as(salesKey);
    const supply = admin.as(supplyKey);
    const bind = (c: ApiClient) => c.post("/role-bindings", { namespace: "shop.supply.moving", role: "viewer", team: "ns-other" });
    await admin.post("/namespaces", { name: "shop.supply.moving", ownerTeam: "ns-supply" });
    expect((await bind(supply)).status).toBe(201);
    expect((await bind(sales)).status).toBe(403);

    const since = await latestAuditId();
    const moved = await admin.patch("/namespaces/shop.supply.moving", { ownerTeam: "ns-sales", labels: { moved: "yes" } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ name: "shop.supply.moving", ownerTeam: "ns-sales", labels: { moved: "yes" } });
    const [event] = await eventsSince(since);
    expect(event).toMatchObject({ action: "namespace.update", namespace: "shop.supply.moving", before: { ownerTeam: "ns-supply" }, after: { ownerTeam: "ns-sales", labels: { moved: "yes" } } });
    // Ownership is also inherited: ns-supply still owns the parent shop.supply, so it keeps maintainer rights there.
    const deeper = (c: ApiClient) => c.post("/role-bindings", { namespace: "shop.supply.moving", role: "executor", team: "ns-other" });
    expect((await deeper(sales)).status).toBe(201);
  });

  it("names breaking the rules are refused with the field named, and nothing is written", async () => {
    const since = await latestAuditId();
    const bad = ["Shop", "shop..sales", "shop.", ".shop", "shop-sales", "shop sales", "shop/sales", "a.b.c.d.e.f.g.h.i.j.k", "x".repeat(201), "", "shop.Sales", "ünïcode"];
    for (const name of bad) {
      const r = await admin.post("/namespaces", { name, ownerTeam: "ns-sales" });
      expectProblem(r, 400);
      expect(r.body.errors, name).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: "/name", message: expect.any(String) })]));
    }
    expectProblem(await admin.post("/namespaces", { name: "shop.nobody", ownerTeam: "no-such-team" }), 400, /no-such-team/);
    expectProblem(await admin.post("/namespaces", { name: "shop.labels", ownerTeam: "ns-sales", labels: { "Bad Key": "x" } }), 400);
    expectProblem(await admin.post("/namespaces", { name: "shop.long", ownerTeam: "ns-sales", description: "d".repeat(2001) }), 400);
    expect(await latestAuditId()).toBe(since);
    const all = (await admin.get("/namespaces?limit=500")).body.items.map((n: { name: string }) => n.name);
    expect(all.filter((n: string) => !n.startsWith("shop") || ["shop.nobody", "shop.labels", "shop.long"].includes(n) || /[A-Z]/.test(n))).toEqual([]);
  });

  it("deleting a namespace that holds flows is a 409 listing them; an empty one is deleted and audited", async () => {
    await admin.post("/namespaces", { name: "shop.busy", ownerTeam: "ns-sales" });
    const flow = await admin.put("/flows/shop.busy/daily", "id: daily\nnamespace: shop.busy\ntasks:\n  - id: log\n    type: core.log\n    message: hi\n");
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const since = await latestAuditId();
    const refused = await admin.delete("/namespaces/shop.busy");
    expectProblem(refused, 409, /flow shop\.busy\/daily/);
    expect(refused.body.dependents).toEqual(["flow shop.busy/daily"]);
    expect((await admin.get("/namespaces/shop.busy")).status).toBe(200);
    expect(await latestAuditId()).toBe(since);

    await admin.post("/namespaces", { name: "shop.empty", ownerTeam: "ns-sales" });
    const deleted = await admin.delete("/namespaces/shop.empty");
    expect(deleted.status).toBe(204);
    expectProblem(await admin.get("/namespaces/shop.empty"), 404);
    const events = await eventsSince(since);
    expect(events.at(-1)).toMatchObject({ action: "namespace.delete", namespace: "shop.empty", before: { name: "shop.empty", ownerTeam: "ns-sales" }, after: null, requestId: requestIdOf(deleted) });
  });
});

describe("deleting a namespace with a subtree or access rules", () => {
  it("refuses while child namespaces or flows in unregistered children exist", async () => {
    await admin.post("/teams", { name: "tree-owner" });
    expect((await admin.post("/namespaces", { name: "tree", ownerTeam: "tree-owner" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "tree.child", ownerTeam: "tree-owner" })).status).toBe(201);
    const refused = await admin.delete("/namespaces/tree");
    expectProblem(refused, 409, /namespace tree\.child/);
    expect((await admin.delete("/namespaces/tree.child")).status).toBe(204);

    // A flow in tree.unregistered is governed by `tree`: deleting `tree` would orphan it.
    const flow = await admin.put("/flows/tree.unregistered/f", "id: f\nnamespace: tree.unregistered\ntasks:\n  - id: log\n    type: core.log\n    message: hi\n");
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    expectProblem(await admin.delete("/namespaces/tree"), 409, /flow tree\.unregistered\/f/);
    expect((await admin.delete("/flows/tree.unregistered/f")).status).toBe(204);
    expect((await admin.delete("/namespaces/tree")).status).toBe(204);
  });

  it("removes the bindings and grants naming it, so a namespace created again under that name starts with no access", async () => {
    await admin.post("/teams", { name: "reborn-owner" });
    await admin.post("/teams", { name: "reborn-other" });
    expect((await admin.post("/namespaces", { name: "reborn", ownerTeam: "reborn-owner" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "reborn_peer", ownerTeam: "reborn-other" })).status).toBe(201);
    const key = await makeServiceAccount(admin, "reborn-dev", "reborn-other", [{ role: "developer", namespace: "reborn" }]);
    const grant = await admin.post("/trigger-grants", { upstreamNamespace: "reborn", downstreamNamespace: "reborn_peer", kinds: ["trigger"] });
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);

    const deleted = await admin.delete("/namespaces/reborn");
    expect(deleted.status).toBe(204);
    const events = (await admin.get("/audit?resourceType=namespace&resourceId=reborn&limit=1")).body.items;
    expect(events[0]).toMatchObject({ action: "namespace.delete", before: { removedRoleBindings: 1, removedTriggerGrants: 1 } });

    expect((await admin.post("/namespaces", { name: "reborn", ownerTeam: "reborn-owner" })).status).toBe(201);
    expect((await admin.get("/role-bindings?namespace=reborn")).body.items).toEqual([]);
    expectProblem(await admin.get(`/trigger-grants/${grant.body.id}`), 404);
    const dev = new ApiClient(server.api, key);
    const write = await dev.put("/flows/reborn/f", "id: f\nnamespace: reborn\ntasks:\n  - id: log\n    type: core.log\n    message: hi\n");
    expectProblem(write, 403, /flow\.write/);
  });
});

describe("deleting a team that still has dependents", () => {
  it("answers 409 listing its namespaces (and service accounts); the team stays", async () => {
    await admin.post("/teams", { name: "gov-owner" });
    await admin.post("/namespaces", { name: "owned_one", ownerTeam: "gov-owner" });
    await admin.post("/namespaces", { name: "owned_two", ownerTeam: "gov-owner" });
    await admin.post("/service-accounts", { name: "gov-owner-ci", team: "gov-owner" });
    const since = await latestAuditId();
    const r = await admin.delete("/teams/gov-owner");
    expectProblem(r, 409, /namespace owned_one/);
    expect(r.body.detail).toMatch(/namespace owned_two/);
    expect(r.body.dependents).toEqual(expect.arrayContaining(["namespace owned_one", "namespace owned_two", "service account gov-owner-ci"]));
    expect((await admin.get("/teams/gov-owner")).status).toBe(200);
    expect(await latestAuditId()).toBe(since);
  });
});

describe("role bindings and whoami", () => {
  let botKey: string;
  beforeAll(async () => {
    await admin.post("/teams", { name: "rb-team" });
    await admin.post("/namespaces", { name: "rb", ownerTeam: "platform" });
    await admin.post("/namespaces", { name: "rb.child", ownerTeam: "platform" });
    botKey = await makeServiceAccount(admin, "rb-bot", "rb-team");
  });

  it("whoami tells who the caller is and every binding that applies, whether bound to it or to its team", async () => {
    const me = await admin.as(botKey).get("/whoami");
    expect(me.body).toEqual({ subject: "rb-bot", kind: "service-account", team: "rb-team", platformAdmin: false, bindings: [] });
    const since = await latestAuditId();
    const toSa = await admin.post("/role-bindings", { namespace: "rb", role: "viewer", serviceAccount: "rb-bot" });
    expect(toSa.status).toBe(201);
    expect(toSa.body).toEqual({ id: expect.any(String), namespace: "rb", role: "viewer", team: null, serviceAccount: "rb-bot", createdAt: expect.any(String) });
    const toTeam = await admin.post("/role-bindings", { namespace: "rb.child", role: "developer", team: "rb-team" });
    expect(toTeam.status).toBe(201);
    // Idempotent: the same binding again is the same binding, not a second one, and not audited twice.
    const again = await admin.post("/role-bindings", { namespace: "rb.child", role: "developer", team: "rb-team" });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(toTeam.body.id);

    const bindings = (await admin.as(botKey).get("/whoami")).body.bindings;
    expect(bindings).toEqual(
      expect.arrayContaining([
        { id: toSa.body.id, role: "viewer", namespace: "rb", via: "service-account" },
        { id: toTeam.body.id, role: "developer", namespace: "rb.child", via: "team" },
      ]),
    );
    expect(bindings).toHaveLength(2);
    expect((await admin.get(`/role-bindings/${toSa.body.id}`)).body).toEqual(toSa.body);
    expect((await admin.get("/role-bindings?namespace=rb.child")).body.items.map((b: { id: string }) => b.id)).toEqual([toTeam.body.id]);
    expect((await admin.get("/role-bindings?serviceAccount=rb-bot")).body.items.map((b: { id: string }) => b.id)).toEqual([toSa.body.id]);

    const removed = await admin.delete(`/role-bindings/${toSa.body.id}`);
    expect(removed.status).toBe(204);
    expect((await admin.as(botKey).get("/whoami")).body.bindings).toEqual([{ id: toTeam.body.id, role: "developer", namespace: "rb.child", via: "team" }]);
    expectProblem(await admin.get(`/role-bindings/${toSa.body.id}`), 404);

    const events = await eventsSince(since);
    expect(events.map((e) => e.action)).toEqual(["role-binding.create", "role-binding.create", "role-binding.delete"]);
    expect(events[0]).toMatchObject({ namespace: "rb", resourceId: toSa.body.id, before: null, after: { role: "viewer", serviceAccount: "rb-bot" } });
    expect(events[2]).toMatchObject({ namespace: "rb", resourceId: toSa.body.id, before: { role: "viewer" }, after: null, requestId: requestIdOf(removed) });
  });

  it("the same binding asked for ten times at once is one binding (one 201, nine 200 with its id), audited once", async () => {
    const since = await latestAuditId();
    const body = { namespace: "rb", role: "executor", team: "rb-team" };
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.post("/role-bindings", body)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const rows = (await admin.get("/role-bindings?namespace=rb&team=rb-team")).body.items.filter((b: { role: string }) => b.role === "executor");
    expect(rows).toHaveLength(1);
    expect((await eventsSince(since)).map((e) => e.action)).toEqual(["role-binding.create"]);
  });

  it("a global binding (no namespace) asked for five times at once is one row too: the unique index treats NULLs as equal", async () => {
    const body = { role: "platform-admin", serviceAccount: "rb-bot" };
    const answers = await Promise.all(Array.from({ length: 5 }, () => admin.post("/role-bindings", body)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const rows = (await admin.get("/role-bindings?serviceAccount=rb-bot")).body.items.filter((b: { role: string }) => b.role === "platform-admin");
    expect(rows).toHaveLength(1);
    expect((await admin.delete(`/role-bindings/${[...ids][0]}`)).status).toBe(204);
  });

  it("refuses bindings that make no sense, writing nothing", async () => {
    const since = await latestAuditId();
    const cases: [unknown, string][] = [
      [{ namespace: "rb", role: "viewer", team: "rb-team", serviceAccount: "rb-bot" }, "/team"],
      [{ namespace: "rb", role: "viewer" }, "/team"],
      [{ namespace: "rb", role: "owner", team: "rb-team" }, "/role"],
      [{ role: "viewer", team: "rb-team" }, "/namespace"],
      [{ namespace: "rb", role: "platform-admin", team: "rb-team" }, "/namespace"],
      [{ namespace: "no_such_ns", role: "viewer", team: "rb-team" }, "/namespace"],
      [{ namespace: "rb", role: "viewer", team: "no-such-team" }, "/team"],
      [{ namespace: "rb", role: "viewer", serviceAccount: "no-such-sa" }, "/serviceAccount"],
      [{ namespace: "RB", role: "viewer", team: "rb-team" }, "/namespace"],
    ];
    for (const [body, pointer] of cases) {
      const r = await admin.post("/role-bindings", body);
      expectProblem(r, 400);
      expect(r.body.errors.map((e: { pointer: string }) => e.pointer), JSON.stringify(body)).toContain(pointer);
    }
    expect(await latestAuditId()).toBe(since);
    expect((await admin.get("/role-bindings?team=no-such-team")).body.items).toEqual([]);
  });

  it("a platform admin cannot remove their own platform-admin binding", async () => {
    const own = (await admin.get("/whoami")).body.bindings.find((b: { role: string }) => b.role === "platform-admin");
    expectProblem(await admin.delete(`/role-bindings/${own.id}`), 409, /your own platform-admin binding/);
    expect((await admin.get("/whoami")).body.platformAdmin).toBe(true);
  });
});

describe("the audit log's readers", () => {
  let maintainer: ApiClient;
  let developer: ApiClient;
  beforeAll(async () => {
    await admin.post("/teams", { name: "au-sales" });
    await admin.post("/teams", { name: "au-other" });
    for (const [name, owner] of [["au", "platform"], ["au.sales_eu", "au-sales"], ["au.sales_eu.crm", "au-sales"], ["au.salesxeu", "au-other"], ["au.salesxeu.crm", "au-other"], ["au.supply", "au-other"]] as const) {
      expect((await admin.post("/namespaces", { name, ownerTeam: owner })).status).toBe(201);
    }
    maintainer = admin.as(await makeServiceAccount(admin, "au-sales-ci", "au-sales"));
    developer = admin.as(await makeServiceAccount(admin, "au-dev", "au-other", [{ role: "developer", namespace: "au.sales_eu" }]));
    // Events in each namespace: bindings made by their maintainers or the admin.
    expect((await maintainer.post("/role-bindings", { namespace: "au.sales_eu.crm", role: "viewer", team: "au-other" })).status).toBe(201);
    expect((await admin.post("/role-bindings", { namespace: "au.salesxeu.crm", role: "viewer", team: "au-sales" })).status).toBe(201);
    expect((await admin.post("/role-bindings", { namespace: "au.supply", role: "viewer", team: "au-sales" })).status).toBe(201);
  });

  it("a maintainer reads the events of its subtree, and only those", async () => {
    const events = (await walk(maintainer, "/audit?namespace=au.sales_eu", 2)) as AuditEvent[];
    const namespaces = new Set(events.map((e) => e.namespace));
    expect([...namespaces].sort()).toEqual(["au.sales_eu", "au.sales_eu.crm"]);
    expect(events.find((e) => e.action === "role-binding.create" && e.namespace === "au.sales_eu.crm")).toMatchObject({ subject: "au-sales-ci" });
    const child = (await walk(maintainer, "/audit?namespace=au.sales_eu.crm", 50)) as AuditEvent[];
    expect(new Set(child.map((e) => e.namespace))).toEqual(new Set(["au.sales_eu.crm"]));
  });

  it("refuses the whole log, a parent's or a sibling's events to a maintainer, and any events to a developer", async () => {
    expectProblem(await maintainer.get("/audit"), 403, /platform-admin/);
    expectProblem(await maintainer.get("/audit?namespace=au"), 403, /audit\.read/);
    expectProblem(await maintainer.get("/audit?namespace=au.salesxeu"), 403, /audit\.read/);
    expectProblem(await maintainer.get("/audit?namespace=au.supply"), 403, /audit\.read.*au\.supply/);
    expectProblem(await developer.get("/audit?namespace=au.sales_eu"), 403, /audit\.read/);
    expectProblem(await developer.get("/audit"), 403);
  });

  it("filters by resource and subject, and refuses bad filters and cursors", async () => {
    const bySubject = (await admin.get("/audit?subject=au-sales-ci")).body.items as AuditEvent[];
    expect(bySubject.length).toBeGreaterThan(0);
    expect(bySubject.every((e) => e.subject === "au-sales-ci")).toBe(true);
    const byType = (await admin.get("/audit?resourceType=namespace&limit=500")).body.items as AuditEvent[];
    expect(byType.every((e) => e.resourceType === "namespace")).toBe(true);
    expectProblem(await admin.get("/audit?cursor=not-a-cursor"), 400);
    expectProblem(await admin.get("/audit?namespace=Not.Valid"), 400);
  });
});

describe("pagination on every list", () => {
  beforeAll(async () => {
    await admin.post("/teams", { name: "pg-team" });
    await admin.post("/namespaces", { name: "pg", ownerTeam: "pg-team" });
    for (let i = 0; i < 7; i++) {
      await admin.post("/teams", { name: `pg-team-${i}` });
      await admin.post("/service-accounts", { name: `pg-sa-${i}`, team: "pg-team" });
      await admin.post("/namespaces", { name: `pg.ns_${i}`, ownerTeam: "pg-team" });
      await admin.post("/role-bindings", { namespace: `pg.ns_${i}`, role: "viewer", team: "pg-team" });
      await admin.post("/service-accounts/pg-sa-0/keys", {});
      const put = await admin.put(`/flows/pg/f${i}`, `id: f${i}\nnamespace: pg\ntasks:\n  - id: log\n    type: core.log\n    message: m${i}\n`);
      expect(put.status, JSON.stringify(put.body)).toBe(201);
      await admin.put("/flows/pg/f0", `id: f0\nnamespace: pg\ntasks:\n  - id: log\n    type: core.log\n    message: revision ${i}\n`);
      const table = await admin.put(`/tables/pg/pg_ds.t${i}`, { schema: { fields: [{ name: "id", type: "INT64", mode: "REQUIRED" }] }, feedType: "WRITE_APPEND" });
      expect(table.status, JSON.stringify(table.body)).toBe(201);
      await admin.post("/trigger-grants", { upstreamNamespace: "pg", upstreamFlow: `f${i}`, downstreamNamespace: `pg.ns_${i}`, kinds: ["trigger"] });
    }
  });

  const lists: [string, (item: any) => string][] = [
    ["/teams", (t) => t.name],
    ["/service-accounts", (a) => a.name],
    ["/service-accounts?team=pg-team", (a) => a.name],
    ["/service-accounts/pg-sa-0/keys", (k) => k.id],
    ["/namespaces", (n) => n.name],
    ["/namespaces?prefix=pg", (n) => n.name],
    ["/role-bindings", (b) => b.id],
    ["/role-bindings?team=pg-team", (b) => b.id],
    ["/audit", (e) => e.id],
    ["/audit?namespace=pg", (e) => e.id],
    ["/trigger-grants", (g) => g.id],
    ["/trigger-grants?upstreamNamespace=pg", (g) => g.id],
    ["/flows/pg", (f) => `${f.namespace}/${f.id}`],
    ["/flows/pg?subtree=true", (f) => `${f.namespace}/${f.id}`],
    ["/flows/pg/f0/revisions", (r) => String(r.revision)],
    ["/tables/pg", (t) => `${t.dataset}.${t.table}`],
  ];

  it.each(lists)("%s: walking pages of 2 gives exactly one big page, in the same order", async (path, id) => {
    const sep = path.includes("?") ? "&" : "?";
    const big = await admin.get(`${path}${sep}limit=500`);
    expect(big.status).toBe(200);
    expect(big.body.nextCursor).toBeNull();
    const walked = await walk(admin, path, 2);
    expect(walked.map(id)).toEqual(big.body.items.map(id));
    expect(new Set(walked.map(id)).size).toBe(walked.length);
    expect(walked.length).toBeGreaterThanOrEqual(7);
  });

  it.each(lists.map(([p]) => [p]))("%s: refuses limit 0, limit 501, a non-number and a forged cursor", async (path) => {
    const sep = path.includes("?") ? "&" : "?";
    for (const q of ["limit=0", "limit=501", "limit=ten", "cursor=%%%", `cursor=${Buffer.from("zzz").toString("base64url")}x`]) {
      const r = await admin.get(`${path}${sep}${q}`);
      expect(r.status, `${path}${sep}${q}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});

describe("bad input: a clear 4xx, nothing written", () => {
  let before: string;
  let teamCount: number;
  beforeAll(async () => {
    before = await latestAuditId();
    teamCount = (await walk(admin, "/teams", 500)).length;
  });
  afterAll(async () => {
    // Nothing any of these calls sent was written: no event, no team.
    expect(await latestAuditId()).toBe(before);
    expect((await walk(admin, "/teams", 500)).length).toBe(teamCount);
  });

  const raw = (method: string, path: string, body: string | undefined, contentType?: string) =>
    fetch(`${server.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.adminKey}`, ...(contentType ? { "content-type": contentType } : {}) },
      ...(body !== undefined ? { body } : {}),
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: JSON.parse((await r.text()) || "null") }) as Answer);

  it.each([
    ["uppercase", "Sales"],
    ["leading digit", "1sales"],
    ["space", "sales team"],
    ["dot", "sales.eu"],
    ["empty", ""],
    ["64 characters", `a${"b".repeat(63)}`],
    ["unicode", "säles"],
    ["a number", 42],
    ["null", null],
  ])("team name: %s", async (_what, name) => {
    const r = await admin.post("/teams", { name });
    expectProblem(r, 400);
    expect(r.body.errors).toEqual([expect.objectContaining({ pointer: "/name", message: expect.any(String) })]);
  });

  it("service account names break the same rules", async () => {
    for (const name of ["CI", "ci bot", "-ci", "ci/bot"]) {
      const r = await admin.post("/service-accounts", { name, team: "platform" });
      expectProblem(r, 400);
      expect(r.body.errors.map((e: { pointer: string }) => e.pointer)).toContain("/name");
      expectProblem(await admin.get(`/service-accounts/${encodeURIComponent(name)}`), 400);
    }
  });

  it("unknown fields are refused and named", async () => {
    const r = await admin.post("/teams", { name: "unknown-field", colour: "red" });
    expectProblem(r, 400, /colour/);
    expect(r.body.errors.length).toBeGreaterThan(0);
    expectProblem(await admin.get("/teams/unknown-field"), 404);
    expectProblem(await admin.post("/namespaces", { name: "unknown_field", ownerTeam: "platform", owner: "x" }), 400, /owner/);
    expectProblem(await admin.patch("/teams/platform", { name: "renamed" }), 400, /name/);
    expectProblem(await admin.post("/service-accounts/platform-admin/keys", { expiresAt: "2099-01-01T00:00:00Z", scope: "all" }), 400, /scope/);
  });

  it("malformed JSON", async () => {
    for (const text of ['{"name": "broken"', "{name: 'broken'}", "[1,2", '{"name": "broken",}']) {
      const r = await raw("POST", "/teams", text, "application/json");
      expectProblem(r, 400, /JSON/);
    }
    expectProblem(await admin.get("/teams/broken"), 404);
  });

  it("wrong JSON types: an array, a string, a number instead of an object", async () => {
    for (const text of ["[]", '"sales"', "42", "null"]) expect((await raw("POST", "/teams", text, "application/json")).status, text).toBe(400);
  });

  it("a 2 MiB body is 413, whatever the route", async () => {
    const big = JSON.stringify({ name: "huge", description: "x".repeat(2 * 1024 * 1024) });
    for (const [method, path] of [["POST", "/teams"], ["PATCH", "/teams/platform"], ["POST", "/namespaces"], ["POST", "/role-bindings"]] as const) {
      const r = await raw(method, path, big, "application/json");
      expectProblem(r, 413, /limit/);
    }
    expectProblem(await admin.get("/teams/huge"), 404);
    expect((await admin.get("/teams/platform")).body.description).not.toMatch(/^x+$/);
  });

  it("a chunked body (Transfer-Encoding, no Content-Length) is read and checked like any other, within the size limit", async () => {
    const chunked = (parts: string[]) =>
      fetch(`${server.api}/teams`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
        body: new ReadableStream({
          start(controller) {
            for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
            controller.close();
          },
        }),
        duplex: "half",
      } as RequestInit).then(async (r) => ({ status: r.status, headers: r.headers, body: JSON.parse((await r.text()) || "null") }) as Answer);
    // Read: the refusal is about the name inside the body, not a missing body.
    const invalid = await chunked(['{"name": "Chunked', ' Team"}']);
    expectProblem(invalid, 400, /name/);
    expect(invalid.body.detail).not.toMatch(/body is required/);
    expectProblem(await chunked(['{"name": "chunked_huge", "description": "', "x".repeat(2 * 1024 * 1024), '"}']), 413, /limit/);
    expectProblem(await admin.get("/teams/chunked_huge"), 404);
  });

  it("a missing body, or one of another media type", async () => {
    expectProblem(await raw("POST", "/teams", undefined), 400, /body is required/);
    expectProblem(await raw("POST", "/teams", "", "application/json"), 400);
    expect((await raw("POST", "/teams", "name=form-encoded", "application/x-www-form-urlencoded")).status).toBeGreaterThanOrEqual(400);
    expect((await raw("POST", "/teams", "name=form-encoded", "application/x-www-form-urlencoded")).status).toBeLessThan(500);
    expectProblem(await admin.get("/teams/form-encoded"), 404);
  });

  it("bad path parameters", async () => {
    expectProblem(await admin.get("/role-bindings/not-a-uuid"), 400);
    expectProblem(await admin.delete("/service-accounts/platform-admin/keys/not-a-uuid"), 400);
    expectProblem(await admin.get("/namespaces/Not.Valid"), 400);
    expectProblem(await admin.get("/no/such/route"), 404, /openapi/);
  });
});
