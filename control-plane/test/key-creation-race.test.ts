/**
 * A key created for a service account while the account is being deleted (issue 10,
 * finding 3): the key's insert then fails PostgreSQL's foreign key check, which was a
 * 500. Now it is the 404 the caller would have had a moment later, and no key exists.
 *
 * Both calls go through HTTP to a real server; the interleaving is pinned with a lock on
 * a real PostgreSQL 15 (external, so the test can hold a connection of its own): the
 * test locks audit_events, so the DELETE's transaction stops after deleting the row, at
 * its audit insert; the key creation then finds the account (the delete is not
 * committed), inserts, and waits on the deleted row; releasing the lock commits the
 * delete and the key's foreign key check fails.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { startServer, type TestServer } from "./support/server.ts";

let database: ExternalPostgres;
let url: string;
let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  database = await startExternalPostgres();
  url = await database.createDatabase("meshplane_key_race");
  server = await startServer({ env: { MESHPLANE_DATABASE_URL: url } });
  admin = new ApiClient(server.api, server.adminKey);
  expect((await admin.post("/teams", { name: "race" })).status).toBe(201);
});
afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

/** Waits until `count` backends of the database wait on a lock. */
async function backendsWaitingOnLocks(client: pg.Client, count: number): Promise<void> {
  const deadline = Date.now() + 4_000;
  for (;;) {
    const r = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (r.rows[0].n >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${r.rows[0].n} of ${count} backends reached their lock wait`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("a key created while its account is deleted: 404, no key, never a 500", async () => {
  expect((await admin.post("/service-accounts", { name: "doomed", team: "race" })).status).toBe(201);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("LOCK TABLE audit_events IN EXCLUSIVE MODE");
    const deletion = admin.delete("/service-accounts/doomed");
    await backendsWaitingOnLocks(client, 1);
    const creation = admin.post("/service-accounts/doomed/keys", {});
    await backendsWaitingOnLocks(client, 2);
    await client.query("ROLLBACK");
    const [deleted, created] = await Promise.all([deletion, creation]);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    expect(created.status, JSON.stringify(created.body)).toBe(404);
    expect(created.body.detail).toContain("service account doomed does not exist");
    expect(created.body.key).toBeUndefined();
  } finally {
    await client.end();
  }
  const rows = await database.query("SELECT count(*)::int AS n FROM api_keys k JOIN service_accounts s ON s.id = k.service_account_id WHERE s.name = 'doomed'", [], url);
  expect(rows[0].n).toBe(0);
  expect((await admin.get("/service-accounts/doomed")).status).toBe(404);
  expect(server.stderr()).not.toContain("unhandled error");
});
