/**
 * No write holds a transaction while it waits for a second connection of the same pool.
 * If it did, as many of those writes at once as the pool has connections would each hold
 * one and wait for another until Prisma's transaction timeout: a 500 for every one of
 * them. The CI run of the quickstart hit exactly that (five role bindings, a pool of
 * five, the namespace directory's cache cold after a namespace was created).
 *
 * Checked on a pool of ONE connection with the namespace directory invalidated before
 * every write (the directory reads through the pool, outside any transaction): a write
 * that still needs a second connection inside its transaction cannot finish.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/db/migrate.ts";
import { openDatabase, type Database } from "../src/db/prisma.ts";
import { createLogger } from "../src/logger.ts";
import { createServices, type Services } from "../src/services/index.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";

let pg: ExternalPostgres;
let db: Database;
let services: Services;
const actor = { subject: "pool-test", subjectKind: "service-account" };

/** The write with the directory's cache cold, so it has to read namespaces again. */
function cold<T>(write: () => Promise<T>): Promise<T> {
  services.deps.namespaces.invalidate();
  return write();
}

beforeAll(async () => {
  pg = await startExternalPostgres();
  const url = await pg.createDatabase("one_connection_pool");
  await migrate(url, createLogger("silent"));
  db = openDatabase(url, { prismaPoolSize: 1, flowPoolSize: 1 });
  services = createServices(db, createLogger("silent"), "a-test-secret-of-enough-length-0123456789", 3600);
  await services.teams.create(actor, { name: "pool-team" });
  await services.serviceAccounts.create(actor, { name: "pool-bot", team: "pool-team" });
  await services.namespaces.create(actor, { name: "pool", ownerTeam: "pool-team" });
  await services.namespaces.create(actor, { name: "pool.down", ownerTeam: "pool-team" });
}, 60_000);
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

describe("governance writes on a one-connection pool, namespace cache cold", () => {
  it("create a role binding for a team and for a service account, in a namespace and in its child", async () => {
    const toTeam = await cold(() => services.roleBindings.create(actor, { namespace: "pool", role: "viewer", team: "pool-team" }));
    const toBot = await cold(() => services.roleBindings.create(actor, { namespace: "pool.staging", role: "developer", serviceAccount: "pool-bot" }));
    expect(toTeam).toMatchObject({ created: true, binding: { namespace: "pool", role: "viewer", team: "pool-team" } });
    expect(toBot).toMatchObject({ created: true, binding: { namespace: "pool.staging", role: "developer", serviceAccount: "pool-bot" } });
    const again = await cold(() => services.roleBindings.create(actor, { namespace: "pool", role: "viewer", team: "pool-team" }));
    expect(again).toEqual({ created: false, binding: toTeam.binding });
  });

  it("five different role bindings asked at once all succeed", async () => {
    services.deps.namespaces.invalidate();
    const roles = ["viewer", "developer", "executor", "maintainer"] as const;
    const results = await Promise.all([
      ...roles.map((role) => services.roleBindings.create(actor, { namespace: "pool.down", role, serviceAccount: "pool-bot" })),
      services.roleBindings.create(actor, { namespace: "pool.down", role: "viewer", team: "pool-team" }),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, true, true, true, true]);
  });

  it("still refuses a binding in a namespace that does not exist, naming it", async () => {
    await expect(cold(() => services.roleBindings.create(actor, { namespace: "nowhere", role: "viewer", team: "pool-team" }))).rejects.toThrow(/namespace nowhere does not exist/);
  });

  it("create a trigger grant and a table contract", async () => {
    const grant = await cold(() => services.triggerGrants.create(actor, { upstreamNamespace: "pool", downstreamNamespace: "pool.down", kinds: ["trigger"] }));
    expect(grant.created).toBe(true);
    const schema = { fields: [{ name: "id", type: "INTEGER", mode: "REQUIRED" }] };
    const table = await cold(() => services.tables.put(actor, { namespace: "pool", dataset: "pool_ods", table: "things" }, { schema, feedType: "WRITE_TRUNCATE" }));
    expect(table).toMatchObject({ created: true, table: { version: "1.0.0" } });
  });

  it("update and delete a namespace, and delete a role binding", async () => {
    const created = await cold(() => services.namespaces.create(actor, { name: "pool.gone", ownerTeam: "pool-team" }));
    expect(created.name).toBe("pool.gone");
    await cold(() => services.namespaces.update(actor, "pool.gone", { description: "soon gone" }));
    await cold(() => services.namespaces.delete(actor, "pool.gone"));
    const { binding } = await cold(() => services.roleBindings.create(actor, { namespace: "pool", role: "executor", team: "pool-team" }));
    await cold(() => services.roleBindings.delete(actor, binding.id));
    await expect(services.roleBindings.get(binding.id)).rejects.toThrow(/does not exist/);
  });

  it("issue and revoke a key, then remove a trigger grant, a table, a service account and a team", async () => {
    await cold(() => services.teams.create(actor, { name: "pool-temp" }));
    await cold(() => services.serviceAccounts.create(actor, { name: "pool-temp-bot", team: "pool-temp" }));
    const key = await cold(() => services.serviceAccounts.createKey(actor, "pool-temp-bot", {}));
    expect(key.key).toMatch(/^mp_/);
    expect((await cold(() => services.serviceAccounts.revokeKey(actor, "pool-temp-bot", key.id))).id).toBe(key.id);
    const grant = await cold(() => services.triggerGrants.create(actor, { upstreamNamespace: "pool.down", downstreamNamespace: "pool", kinds: ["trigger"] }));
    await cold(() => services.triggerGrants.delete(actor, grant.grant.id));
    const schema = { fields: [{ name: "id", type: "INTEGER", mode: "REQUIRED" }] };
    await cold(() => services.tables.put(actor, { namespace: "pool", dataset: "pool_tmp", table: "gone" }, { schema, feedType: "WRITE_TRUNCATE" }));
    const principal = { subject: actor.subject, kind: "service-account", platformAdmin: true, bindings: [] } as unknown as Parameters<Services["tables"]["delete"]>[1];
    await cold(() => services.tables.delete(actor, principal, { namespace: "pool", dataset: "pool_tmp", table: "gone" }, false));
    await cold(() => services.serviceAccounts.delete(actor, "pool-temp-bot"));
    await cold(() => services.teams.delete(actor, "pool-temp"));
    await expect(services.teams.get("pool-temp")).rejects.toThrow(/does not exist/);
  });
});
