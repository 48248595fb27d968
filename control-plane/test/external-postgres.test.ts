/**
 * `meshplane serve` on an external PostgreSQL reached by MESHPLANE_DATABASE_URL (SPEC §5,
 * §8): a real PostgreSQL 15 server (the distribution's, the version production users
 * often run) started from /usr/lib/postgresql/15/bin on a free loopback port. Nothing is
 * skipped: without the binaries the suite fails and says to `apt-get install postgresql-15`.
 *
 * Checks the migration history Prisma would see, a meaningful part of the API (with the
 * rows read back from PostgreSQL itself), a restart on the same database from a fresh
 * data dir, and the one-line errors for a wrong password or a missing database.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { postgresProcessesOn } from "./support/processes.ts";
import { runMeshplane, startServer, type TestServer } from "./support/server.ts";

const MIGRATIONS = new URL("../prisma/migrations/", import.meta.url).pathname;
const migrationDirs = () => readdirSync(MIGRATIONS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

let pg: ExternalPostgres;
let url: string;
let server: TestServer;
let admin: ApiClient;
const jwtSecret = "external-postgres-test-secret-0123456789abcdef";

beforeAll(async () => {
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_ext");
  server = await startServer({ env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_JWT_SECRET: jwtSecret } });
  admin = new ApiClient(server.api, server.adminKey);
});
afterAll(async () => {
  await server?.stop();
  await pg?.stop();
});

describe("meshplane serve with MESHPLANE_DATABASE_URL", () => {
  it("is ready, runs no embedded PostgreSQL, and keeps only its secrets in the data dir", async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    expect(existsSync(join(server.dataDir, "postgres"))).toBe(false);
    expect(postgresProcessesOn(server.dataDir)).toEqual([]);
    expect(existsSync(join(server.dataDir, "admin.key"))).toBe(true);
    const version = await pg.query<{ server_version: string }>("SHOW server_version", [], url);
    expect(version[0]!.server_version).toMatch(/^15\./);
  });

  it("records its migrations in Prisma's _prisma_migrations table, with Prisma's checksums", async () => {
    const rows = await pg.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number; logs: string | null }>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name`,
      [],
      url,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationDirs());
    for (const r of rows) {
      const sql = readFileSync(join(MIGRATIONS, r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(r.finished_at).not.toBeNull();
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
    const columns = await pg.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY column_name`,
      [],
      url,
    );
    expect(columns.map((c) => c.column_name)).toEqual(["applied_steps_count", "checksum", "finished_at", "id", "logs", "migration_name", "rolled_back_at", "started_at"]);
  });

  it("serves the governance API, the rows land in PostgreSQL, and every mutation is audited there", async () => {
    const before = Number((await pg.query("SELECT count(*) AS n FROM audit_events", [], url))[0].n);
    const devKey = await makeServiceAccount(admin, "ext-dev", "ext-sales");
    expect((await admin.post("/namespaces", { name: "ext.sales", ownerTeam: "ext-sales", labels: { env: "test" } })).status).toBe(201);
    expect((await admin.post("/role-bindings", { namespace: "ext.sales", role: "developer", serviceAccount: "ext-dev" })).status).toBe(201);

    const token = (await admin.as(undefined).post("/auth/token", { api_key: devKey })).body.access_token as string;
    const dev = admin.as(token);
    expect((await dev.get("/whoami")).body).toMatchObject({ subject: "ext-dev", team: "ext-sales" });
    const source = "id: daily\nnamespace: ext.sales\ntasks:\n  - id: log\n    type: core.log\n    message: one\n";
    expect((await dev.put("/flows/ext.sales/daily", source)).status).toBe(201);
    const second = await dev.put("/flows/ext.sales/daily", source.replace("one", "two"), { "if-match": "1" });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.revision).toBe(2);
    expect((await dev.get("/flows/ext.sales/daily/revisions/1")).body.source).toBe(source);
    const table = await dev.put("/tables/ext.sales/ext_sales.orders", { schema: { fields: [{ name: "id", type: "INT64", mode: "REQUIRED" }] }, feedType: "WRITE_APPEND" });
    expect(table.status, JSON.stringify(table.body)).toBe(201);
    expect((await dev.post("/namespaces", { name: "ext.other", ownerTeam: "ext-sales" })).status).toBe(403);

    const teams = await pg.query("SELECT name FROM teams WHERE name = 'ext-sales'", [], url);
    expect(teams).toHaveLength(1);
    const flows = await pg.query<{ revision: number }>("SELECT revision FROM flows WHERE namespace = 'ext.sales' AND flow_id = 'daily'", [], url);
    expect(flows).toEqual([{ revision: 2 }]);
    const keyRows = await pg.query<{ hash: string; prefix: string }>("SELECT hash, prefix FROM api_keys k JOIN service_accounts s ON s.id = k.service_account_id WHERE s.name = 'ext-dev'", [], url);
    expect(keyRows).toEqual([{ hash: createHash("sha256").update(devKey).digest("hex"), prefix: devKey.slice(0, 7) }]);
    const everything = JSON.stringify(await pg.query("SELECT * FROM audit_events", [], url));
    expect(everything).not.toContain(devKey);
    const after = Number((await pg.query("SELECT count(*) AS n FROM audit_events", [], url))[0].n);
    // team, service account, key, namespace, binding, flow ×2, table
    expect(after - before).toBeGreaterThanOrEqual(8);
    const audit = await admin.get("/audit?namespace=ext.sales&limit=50");
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["namespace.create", "role-binding.create"]));
  });

  it("a restart on the same database from a fresh data dir keeps everything; no second bootstrap", async () => {
    await server.stop();
    const key = server.adminKey;
    server = await startServer({ env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_JWT_SECRET: jwtSecret, MESHPLANE_ADMIN_API_KEY: key } });
    admin = new ApiClient(server.api, key);
    expect(existsSync(join(server.dataDir, "admin.key"))).toBe(false);
    expect((await admin.get("/whoami")).body).toMatchObject({ subject: "platform-admin" });
    expect((await admin.get("/flows/ext.sales/daily")).body).toMatchObject({ revision: 2 });
    expect((await pg.query("SELECT count(*) AS n FROM _prisma_migrations", [], url))[0].n).toBe(String(migrationDirs().length));
    expect((await pg.query("SELECT count(*) AS n FROM service_accounts WHERE name = 'platform-admin'", [], url))[0].n).toBe("1");
  });

  it("while the database is down, reads and writes answer 503 with Retry-After (a warning in the log, no 500); once it is back they work", async () => {
    const source = "id: during\nnamespace: ext.sales\ntasks:\n  - id: log\n    type: core.log\n    message: one\n";
    pg.pause();
    try {
      // Prisma's pool (namespaces, teams) and the flow statements' own pool (flows).
      const answers = [
        await admin.get("/namespaces/ext.sales"),
        await admin.post("/teams", { name: "ext-during" }),
        await admin.get("/flows/ext.sales/daily"),
        await admin.put("/flows/ext.sales/during", source),
        // A key the server has not seen yet: it cannot be checked, which is not a 401.
        await admin.as("mp_not_seen_before_0123456789abcdef").get("/whoami"),
      ];
      for (const r of answers) {
        expect(r.status, JSON.stringify(r.body)).toBe(503);
        expect(r.headers.get("retry-after")).toBe("1");
        expect(r.body).toMatchObject({ type: "urn:meshplane:problem:unavailable", title: "Service unavailable" });
        expect(r.body.detail).toMatch(/database did not answer in time or is unreachable; retry/);
      }
    } finally {
      pg.resume();
    }
    const deadline = Date.now() + 15_000;
    let back = await admin.get("/namespaces/ext.sales");
    while (back.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      back = await admin.get("/namespaces/ext.sales");
    }
    expect(back.status).toBe(200);
    expect((await admin.post("/teams", { name: "ext-during" })).status).toBe(201);
    expect((await admin.put("/flows/ext.sales/during", source)).status).toBe(201);
    expect(server.stderr()).toContain("database unavailable");
    expect(server.stderr()).not.toContain("unhandled error");
  });
});

describe("bad database URLs: one line naming MESHPLANE_DATABASE_URL, the password never printed", () => {
  const dir = mkdtempSync(join(tmpdir(), "meshplane-extpg-bad-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a wrong password", async () => {
    const wrong = url.replace(/:[^:@/]+@/, ":Wr0ngPassw0rdZq9@");
    const run = await runMeshplane({ dataDir: join(dir, "a"), env: { MESHPLANE_DATABASE_URL: wrong } });
    const lines = `${run.stdout}${run.stderr}`.split("\n").filter((l) => l.trim());
    expect(run.code).toBe(1);
    expect(lines).toEqual([`meshplane: MESHPLANE_DATABASE_URL: cannot use the PostgreSQL at 127.0.0.1:${pg.port}/meshplane_ext: password authentication failed`]);
    expect(run.stderr).not.toContain("Wr0ngPassw0rdZq9");
  });

  it("a database that does not exist", async () => {
    const missing = url.replace(/\/meshplane_ext$/, "/no_such_database");
    const run = await runMeshplane({ dataDir: join(dir, "b"), env: { MESHPLANE_DATABASE_URL: missing } });
    const lines = `${run.stdout}${run.stderr}`.split("\n").filter((l) => l.trim());
    expect(run.code).toBe(1);
    expect(lines).toEqual([`meshplane: MESHPLANE_DATABASE_URL: cannot use the PostgreSQL at 127.0.0.1:${pg.port}/no_such_database: the database does not exist`]);
    expect(run.stderr).not.toContain(decodeURIComponent(new URL(url).password));
  });
});
