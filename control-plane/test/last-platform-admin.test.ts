/**
 * The last platform admin (issue 10, finding 5), on real servers over HTTP and through
 * the real CLI:
 *
 * - no API call may leave the platform without a usable platform admin (a service
 *   account bound to platform-admin, itself or through its team, with a live key):
 *   deleting that account, revoking its last key, deleting its global binding are 409s
 *   that change nothing — also when two admins remove each other at the same moment;
 * - the break-glass `meshplane admin recover`, run while the server is stopped, mints a
 *   platform-admin key into <data dir>/admin.key (0600) that the restarted server accepts;
 *   run while the server holds the data dir, it refuses with one line saying to stop it.
 */
import { randomBytes } from "node:crypto";
import { statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount, type Answer } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { runMeshplane, startServer, type TestServer } from "./support/server.ts";

function expectStatus(a: Answer, status: number, detail?: RegExp) {
  expect(a.status, JSON.stringify(a.body)).toBe(status);
  if (detail) expect(a.body.detail).toMatch(detail);
}

const LAST = /would leave no platform admin able to sign in.*meshplane admin recover/;

describe("removing the last platform admin through the API", () => {
  let server: TestServer;
  let admin: ApiClient;
  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const latestAuditId = async () => (await admin.get("/audit?limit=1")).body.items[0].id as string;

  it("is refused on every path: the account, its last key, its binding (also one through its team)", async () => {
    // The bootstrap admin alone.
    const keys = (await admin.get("/service-accounts/platform-admin/keys")).body.items;
    expect(keys).toHaveLength(1);
    const since = await latestAuditId();
    expectStatus(await admin.delete("/service-accounts/platform-admin"), 409, LAST);
    expectStatus(await admin.delete(`/service-accounts/platform-admin/keys/${keys[0].id}`), 409, LAST);
    expect(await latestAuditId()).toBe(since);
    expectStatus(await admin.get("/whoami"), 200);

    // A second admin, through its team's binding, removes the first: allowed, one is left.
    expectStatus(await admin.post("/teams", { name: "ops" }), 201);
    const teamBinding = await admin.post("/role-bindings", { role: "platform-admin", team: "ops" });
    expectStatus(teamBinding, 201);
    const opsKey = await makeServiceAccount(admin, "ops-a", "ops");
    const ops = admin.as(opsKey);
    expect((await ops.get("/whoami")).body.platformAdmin).toBe(true);
    expectStatus(await ops.delete("/service-accounts/platform-admin"), 204);

    // Now ops-a is the last one: its team's binding (not "its own" binding), its key, itself.
    const before = await ops.get("/audit?limit=1");
    expectStatus(await ops.delete(`/role-bindings/${teamBinding.body.id}`), 409, LAST);
    const opsKeys = (await ops.get("/service-accounts/ops-a/keys")).body.items;
    expectStatus(await ops.delete(`/service-accounts/ops-a/keys/${opsKeys[0].id}`), 409, LAST);
    expectStatus(await ops.delete("/service-accounts/ops-a"), 409, LAST);
    expect((await ops.get("/audit?limit=1")).body.items[0].id).toBe(before.body.items[0].id);
    expect((await ops.get("/whoami")).body.platformAdmin).toBe(true);

    // Rotating the key stays possible: a new one first, then the old one goes.
    const fresh = await ops.post("/service-accounts/ops-a/keys", {});
    expectStatus(fresh, 201);
    const rotated = admin.as(fresh.body.key);
    expectStatus(await rotated.delete(`/service-accounts/ops-a/keys/${opsKeys[0].id}`), 200);
    expect((await rotated.get("/whoami")).body.platformAdmin).toBe(true);
  });
});

describe("two platform admins removing each other at the same moment", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("one of them stays", async () => {
    const admin = new ApiClient(server.api, server.adminKey);
    const b = admin.as(await makeServiceAccount(admin, "ops-b", "platform", [{ role: "platform-admin" }]));
    const c = admin.as(await makeServiceAccount(admin, "ops-c", "platform", [{ role: "platform-admin" }]));
    expectStatus(await c.delete("/service-accounts/platform-admin"), 204);

    // ops-b and ops-c are the only admins left; each deletes the other.
    const answers = await Promise.all([b.delete("/service-accounts/ops-c"), c.delete("/service-accounts/ops-b")]);
    // The loser is refused by the guard (409) when both were authenticated before either
    // commit, no longer authenticates (401) when the winner's delete committed first, or
    // authenticated just before it and lost its role bindings just after (403).
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 204), JSON.stringify(answers.map((a) => a.body))).toHaveLength(1);
    expect([401, 403, 409]).toContain(statuses.find((s) => s !== 204));
    const survivor = statuses[0] === 204 ? b : c;
    expect((await survivor.get("/whoami")).body.platformAdmin).toBe(true);
  });
});

describe("meshplane admin recover (break-glass on the server's host)", () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses while the server runs on the data dir; once it is stopped, mints a platform-admin key the restarted server accepts", async () => {
    server = await startServer({ keepDataDir: true });
    const dataDir = server.dataDir;
    const oldKey = server.adminKey;

    const busy = await runMeshplane({ dataDir, args: ["admin", "recover"], timeoutMs: 60_000 });
    expect(busy.code, busy.stderr).toBe(1);
    expect(busy.stderr).toMatch(/a control plane is running on .*; stop it first/);
    expect(busy.stderr.trim().split("\n")).toHaveLength(1);
    expect(readFileSync(join(dataDir, "admin.key"), "utf8").trim()).toBe(oldKey);

    expect(await server.stop()).toBe(0);
    const run = await runMeshplane({ dataDir, args: ["admin", "recover"], timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const keyFile = join(dataDir, "admin.key");
    expect(run.stdout).toContain(keyFile);
    const newKey = readFileSync(keyFile, "utf8").trim();
    expect(newKey).toMatch(/^mp_/);
    expect(newKey).not.toBe(oldKey);
    expect(run.stdout + run.stderr).not.toContain(newKey);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    server = await startServer({ dataDir });
    expect(server.adminKey).toBe(newKey);
    const recovered = new ApiClient(server.api, newKey);
    const me = await recovered.get("/whoami");
    expectStatus(me, 200);
    expect(me.body).toMatchObject({ subject: "platform-admin", platformAdmin: true });
    const audit = (await recovered.get("/audit?limit=5")).body.items;
    expect(audit.find((e: { action: string }) => e.action === "admin.recover")).toMatchObject({
      subject: "meshplane",
      subjectKind: "system",
      resourceType: "api-key",
      after: { breakGlass: true, serviceAccount: "platform-admin" },
    });
  }, 180_000);
});

describe("meshplane admin recover on an external PostgreSQL", () => {
  let pg: ExternalPostgres | undefined;
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await pg?.stop();
  });

  it("works while the server runs: a platform locked out by expired keys gets a key the running server accepts", async () => {
    pg = await startExternalPostgres();
    const url = await pg.createDatabase("recover");
    const oldKey = `mp_${randomBytes(32).toString("base64url")}`;
    server = await startServer({ env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_ADMIN_API_KEY: oldKey } });
    const old = new ApiClient(server.api, oldKey);
    expectStatus(await old.get("/whoami"), 200);

    // The lockout no API call can cause: every key expired on its own.
    await pg.query("UPDATE api_keys SET expires_at = now() - interval '1 minute'", [], url);
    expect(await eventually(async () => (await old.get("/whoami")).status === 401, 15_000)).toBe(true);

    const run = await runMeshplane({ dataDir: server.dataDir, env: { MESHPLANE_DATABASE_URL: url }, args: ["admin", "recover"], timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const newKey = readFileSync(join(server.dataDir, "admin.key"), "utf8").trim();
    expect(run.stdout + run.stderr).not.toContain(newKey);
    const me = await new ApiClient(server.api, newKey).get("/whoami");
    expectStatus(me, 200);
    expect(me.body).toMatchObject({ subject: "platform-admin", platformAdmin: true });
    expectStatus(await old.get("/whoami"), 401);
  }, 180_000);
});
