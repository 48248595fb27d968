/**
 * Several replicas on one PostgreSQL (SPEC §5, issue 2 "Prove it"): two `meshplane serve`
 * processes started at the same moment on one external PostgreSQL 15 (same
 * MESHPLANE_JWT_SECRET, same MESHPLANE_ADMIN_API_KEY, separate data dirs).
 *
 * - migrations are applied exactly once (one row per migration in _prisma_migrations)
 *   and the admin is bootstrapped once;
 * - both serve; concurrent writes through both lose nothing (teams, flow revisions) and
 *   optimistic concurrency holds across processes (one If-Match winner);
 * - what one replica writes the other honours at once: a key, a token, a namespace;
 *   a revoked key within the documented cache delay (5 s).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { startServer, type TestServer } from "./support/server.ts";

const MIGRATIONS = new URL("../prisma/migrations/", import.meta.url).pathname;
const migrationCount = () => readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).length;

let pg: ExternalPostgres;
let url: string;
let a: TestServer;
let b: TestServer;
let adminA: ApiClient;
let adminB: ApiClient;
const adminKey = `mp_${randomBytes(32).toString("base64url")}`;
const env = () => ({ MESHPLANE_DATABASE_URL: url, MESHPLANE_JWT_SECRET: "replicas-share-this-secret-0123456789abcdef", MESHPLANE_ADMIN_API_KEY: adminKey });

beforeAll(async () => {
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_replicas");
  // At the same moment, on an empty database: both race for the migrations and the bootstrap.
  [a, b] = await Promise.all([startServer({ env: env() }), startServer({ env: env() })]);
  adminA = new ApiClient(a.api, adminKey);
  adminB = new ApiClient(b.api, adminKey);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await pg?.stop();
});

const flow = (ns: string, id: string, message: string) => `id: ${id}\nnamespace: ${ns}\ntasks:\n  - id: log\n    type: core.log\n    message: "${message}"\n`;

describe("two replicas started together on one PostgreSQL", () => {
  it("applied each migration exactly once and bootstrapped the admin once", async () => {
    const rows = await pg.query<{ migration_name: string; n: string }>(`SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY migration_name`, [], url);
    expect(rows).toHaveLength(migrationCount());
    for (const r of rows) expect(r.n, r.migration_name).toBe("1");
    expect((await pg.query("SELECT count(*) AS n FROM service_accounts WHERE name = 'platform-admin'", [], url))[0].n).toBe("1");
    expect((await pg.query("SELECT count(*) AS n FROM api_keys", [], url))[0].n).toBe("1");
    expect((await pg.query("SELECT count(*) AS n FROM audit_events WHERE action = 'bootstrap'", [], url))[0].n).toBe("1");
  });

  it("both are ready and answer as the same control plane", async () => {
    for (const s of [a, b]) expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect((await adminA.get("/whoami")).body).toEqual((await adminB.get("/whoami")).body);
  });

  it("concurrent creations through both lose nothing", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `rep-team-${i}`);
    const answers = await Promise.all(names.map((name, i) => (i % 2 ? adminA : adminB).post("/teams", { name })));
    expect(answers.map((r) => r.status)).toEqual(names.map(() => 201));
    // The same name through both at once: exactly one is created.
    const dup = await Promise.all([adminA.post("/teams", { name: "rep-dup" }), adminB.post("/teams", { name: "rep-dup" })]);
    expect(dup.map((r) => r.status).sort()).toEqual([201, 409]);
    for (const client of [adminA, adminB]) {
      const listed = (await client.get("/teams?limit=500")).body.items.map((t: { name: string }) => t.name);
      expect(listed).toEqual(expect.arrayContaining([...names, "rep-dup"]));
    }
    expect((await pg.query("SELECT count(*) AS n FROM teams WHERE name LIKE 'rep-%'", [], url))[0].n).toBe("41");
    expect((await pg.query("SELECT count(*) AS n FROM audit_events WHERE action = 'team.create' AND resource_id LIKE 'rep-%'", [], url))[0].n).toBe("41");
  });

  it("concurrent flow updates through both lose no revision", async () => {
    expect((await adminA.post("/namespaces", { name: "rep", ownerTeam: "platform" })).status).toBe(201);
    expect((await adminB.put("/flows/rep/busy", flow("rep", "busy", "v0"))).status).toBe(201);
    const n = 20;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? adminA : adminB).put("/flows/rep/busy", flow("rep", "busy", `v${i + 1}`))));
    expect(answers.map((r) => r.status), JSON.stringify(answers.find((r) => r.status !== 200)?.body)).toEqual(answers.map(() => 200));
    const revisions = answers.map((r) => r.body.revision as number).sort((x, y) => x - y);
    expect(revisions).toEqual(Array.from({ length: n }, (_, i) => i + 2));
    const history = (await adminA.get("/flows/rep/busy/revisions?limit=500")).body.items.map((r: { revision: number }) => r.revision);
    expect(history).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1));
    // Each answered revision holds the source that was sent with it.
    for (const r of answers) expect((await adminB.get(`/flows/rep/busy/revisions/${r.body.revision}`)).body.source).toBe(r.body.source);
  });

  it("If-Match holds across replicas: 20 simultaneous PUTs with the same revision, exactly one wins", async () => {
    const current = (await adminA.get("/flows/rep/busy")).body.revision as number;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? adminA : adminB).put("/flows/rep/busy", flow("rep", "busy", `race ${i}`), { "if-match": String(current) })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect((await adminB.get("/flows/rep/busy")).body.revision).toBe(current + 1);
  });

  it("the same role binding asked through both replicas at once is one binding", async () => {
    const body = { namespace: "rep", role: "developer", team: "rep-team-5" };
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? adminA : adminB).post("/role-bindings", body)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect((await pg.query("SELECT count(*) AS n FROM role_bindings WHERE namespace = 'rep' AND role = 'developer'", [], url))[0].n).toBe("1");
  });

  it("a key created through one replica works on the other at once, as does a token it issued", async () => {
    const key = await makeServiceAccount(adminA, "rep-ci", "rep-team-0");
    expect((await adminB.as(key).get("/whoami")).body).toMatchObject({ subject: "rep-ci", team: "rep-team-0" });
    const token = (await adminA.as(undefined).post("/auth/token", { api_key: key })).body.access_token as string;
    expect((await adminB.as(token).get("/whoami")).body).toMatchObject({ subject: "rep-ci" });
  });

  it("a namespace created through one replica can be used through the other at once", async () => {
    // B has just looked at the namespaces (its cache is warm) when A creates one.
    expect((await adminB.post("/role-bindings", { namespace: "rep", role: "viewer", team: "rep-team-2" })).status).toBe(201);
    expect((await adminA.post("/namespaces", { name: "rep.fresh", ownerTeam: "rep-team-1" })).status).toBe(201);
    const binding = await adminB.post("/role-bindings", { namespace: "rep.fresh", role: "viewer", team: "rep-team-2" });
    expect(binding.status, JSON.stringify(binding.body)).toBe(201);
    const created = await adminB.put("/flows/rep.fresh/first", flow("rep.fresh", "first", "hi"));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Its owner team's member (implicit maintainer) too, through B.
    const owner = adminA.as(await makeServiceAccount(adminA, "rep-owner", "rep-team-1"));
    // B reloads its namespace directory just before A creates the namespace (a local write empties it, the next call loads it).
    const token = owner.token!;
    expect((await adminB.patch("/namespaces/rep", { description: "reloaded" })).status).toBe(200);
    expect((await adminB.as(token).get("/whoami")).status).toBe(200);
    expect((await adminB.post("/role-bindings", { namespace: "rep", role: "executor", team: "rep-team-2" })).status).toBe(201);
    expect((await adminA.post("/namespaces", { name: "rep.fresher", ownerTeam: "rep-team-1" })).status).toBe(201);
    const grant = await adminB.as(token).post("/role-bindings", { namespace: "rep.fresher", role: "viewer", team: "rep-team-3" });
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);
  });

  it("a key revoked through one replica is refused by the other within the cache delay (5 s)", async () => {
    await adminA.post("/service-accounts", { name: "rep-revoked", team: "rep-team-0" });
    const created = await adminA.post("/service-accounts/rep-revoked/keys", {});
    const key = created.body.key as string;
    expect((await adminB.as(key).get("/whoami")).status).toBe(200); // now cached on B
    expect((await adminA.delete(`/service-accounts/rep-revoked/keys/${created.body.id}`)).status).toBe(200);
    expect((await adminA.as(key).get("/whoami")).status).toBe(401); // at once where it was revoked
    const started = Date.now();
    expect(await eventually(async () => (await adminB.as(key).get("/whoami")).status === 401, 7_000, 200)).toBe(true);
    expect(Date.now() - started).toBeLessThan(7_000);
  });
});
