/**
 * The retention purge (issue 11 item 7) on a real PostgreSQL 15, rows back-dated by SQL:
 * ended executions older than MESHPLANE_RETENTION_DAYS go with their task runs, events
 * and logs, in batches; an execution that has not ended never does, however old.
 * - below the process: RetentionPurge with batches of 2 on a database of its own;
 * - a real `meshplane serve` whose periodic purge (every second here) removes what it ran once back-dated.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/db/migrate.ts";
import { createLogger } from "../src/logger.ts";
import { OrchestratorPool } from "../src/orchestrator/orchestrator.ts";
import { RetentionPurge } from "../src/orchestrator/retention.ts";
import { ApiClient } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { startServer, type TestServer } from "./support/server.ts";

let pg: ExternalPostgres;

beforeAll(async () => {
  pg = await startExternalPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

/** How many rows each execution still has in each table, and rows left without their execution. */
async function remaining(url: string, ids: readonly string[]) {
  const rows = await pg.query<{ id: string; runs: number; events: number; logs: number }>(
    `SELECT e.id::text,
            (SELECT count(*)::int FROM task_runs t WHERE t.execution_id = e.id) AS runs,
            (SELECT count(*)::int FROM execution_events v WHERE v.execution_id = e.id) AS events,
            (SELECT count(*)::int FROM execution_logs l WHERE l.execution_id = e.id) AS logs
     FROM executions e WHERE e.id = ANY($1::uuid[])`,
    [ids],
    url,
  );
  const left = Object.fromEntries(rows.map((r) => [r.id, { runs: r.runs, events: r.events, logs: r.logs }]));
  const orphans = await pg.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM task_runs t WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.id = t.execution_id))
             + (SELECT count(*) FROM execution_events v WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.id = v.execution_id))
             + (SELECT count(*) FROM execution_logs l WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.id = l.execution_id)))::int AS n`,
    [],
    url,
  );
  return { left, orphans: orphans[0]!.n };
}

describe("RetentionPurge", () => {
  it("deletes ended executions older than the retention in batches, with their task runs, events and logs; never an unended one", async () => {
    const url = await pg.createDatabase("retention_unit");
    await migrate(url, createLogger("silent"));
    /** One execution with a task run, two events and a log line; `ended` days ago (null: not ended), created `created` days ago. */
    const insert = async (state: string, created: number, ended: number | null) => {
      const id = randomUUID();
      await pg.query(
        `WITH e AS (
           INSERT INTO executions (id, namespace, flow_id, flow_pk, flow_revision, state, trigger, created_at, ended_at)
           VALUES ($1, 'retail.sales', 'f', gen_random_uuid(), 1, $2, '{"type":"api"}', now() - make_interval(days => $3), CASE WHEN $4::int IS NULL THEN NULL ELSE now() - make_interval(days => $4::int) END)
           RETURNING id),
         t AS (INSERT INTO task_runs (id, execution_id, task_id, path, state) SELECT gen_random_uuid(), id, 'a', 'a', 'SUCCESS' FROM e RETURNING id, execution_id),
         v AS (INSERT INTO execution_events (execution_id, task_run_id, to_state) SELECT execution_id, id, 'SUCCESS' FROM t UNION ALL SELECT id, NULL, 'CREATED' FROM e),
         l AS (INSERT INTO execution_logs (execution_id, level, message) SELECT id, 'INFO', 'hello' FROM e)
         SELECT 1`,
        [id, state, created, ended],
        url,
      );
      return id;
    };
    const old = [await insert("SUCCESS", 41, 40), await insert("FAILED", 400, 365), await insert("CANCELLED", 31, 31), await insert("KILLED", 35, 34), await insert("WARNING", 60, 31)];
    const recent = await insert("SUCCESS", 29, 29);
    const unendedOld = [await insert("RUNNING", 90, null), await insert("QUEUED", 90, null), await insert("CREATED", 90, null)];

    const pool = new OrchestratorPool(url, createLogger("silent"));
    await pool.start();
    try {
      const purge = new RetentionPurge(pool, createLogger("silent"), { retentionDays: 30, intervalMs: 3_600_000, batch: 2 });
      // 2 + 2 + 1: three statements, the last one short.
      expect(await purge.purge()).toBe(5);
      expect(await purge.purge()).toBe(0);
    } finally {
      await pool.stop();
    }
    const { left, orphans } = await remaining(url, [...old, recent, ...unendedOld]);
    expect(Object.keys(left).sort()).toEqual([recent, ...unendedOld].sort());
    for (const id of [recent, ...unendedOld]) expect(left[id]).toEqual({ runs: 1, events: 2, logs: 1 });
    expect(orphans).toBe(0);
  });
});

describe("meshplane serve", () => {
  let server: TestServer;
  let web: Server;
  let release: (() => void) | undefined;
  let url: string;
  const adminKey = `mp_${randomBytes(32).toString("base64url")}`;

  beforeAll(async () => {
    web = createServer((_req, res) => void (release = () => res.end("done")));
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
    url = await pg.createDatabase("retention_serve");
    server = await startServer({ env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_ADMIN_API_KEY: adminKey, MESHPLANE_RETENTION_DAYS: "30", MESHPLANE_RETENTION_INTERVAL_MS: "1000" } });
  });
  afterAll(async () => {
    release?.();
    await server?.stop();
    await new Promise((r) => web?.close(r));
  });

  it("purges, every MESHPLANE_RETENTION_INTERVAL_MS, the executions it ran once they are older than MESHPLANE_RETENTION_DAYS, and keeps a running one", async () => {
    const admin = new ApiClient(server.api, adminKey);
    expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
    const webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    expect((await admin.put("/flows/retail.sales/hello", "id: hello\nnamespace: retail.sales\ntasks:\n  - { id: say, type: core.log, message: hello }\n")).status).toBe(201);
    expect((await admin.put("/flows/retail.sales/held", `id: held\nnamespace: retail.sales\ntasks:\n  - { id: call, type: http.request, uri: "${webUrl}/" }\n`)).status).toBe(201);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await admin.post("/executions/retail.sales/hello?wait=true", {})).body.id);
    const running = (await admin.post("/executions/retail.sales/held", {})).body.id as string;
    expect(await eventually(() => release !== undefined, 30_000)).toBe(true);
    for (const id of ids) expect((await admin.get(`/executions/${id}`)).body.state).toBe("SUCCESS");
    const before = await remaining(url, [...ids, running]);
    for (const id of ids) expect(before.left[id]!.logs).toBeGreaterThan(0);

    // Two ended 31 days ago, one 29 days ago; the running one was created 90 days ago.
    await pg.query("UPDATE executions SET created_at = now() - interval '32 days', ended_at = now() - interval '31 days' WHERE id = ANY($1::uuid[])", [ids.slice(0, 2)], url);
    await pg.query("UPDATE executions SET created_at = now() - interval '30 days', ended_at = now() - interval '29 days' WHERE id = $1", [ids[2]], url);
    await pg.query("UPDATE executions SET created_at = now() - interval '90 days' WHERE id = $1", [running], url);

    expect(await eventually(async () => (await admin.get(`/executions/${ids[0]}`)).status === 404 && (await admin.get(`/executions/${ids[1]}`)).status === 404, 15_000)).toBe(true);
    const after = await remaining(url, [...ids, running]);
    expect(Object.keys(after.left).sort()).toEqual([ids[2]!, running].sort());
    expect(after.left[ids[2]!]).toEqual(before.left[ids[2]!]);
    expect(after.orphans).toBe(0);
    expect((await admin.get(`/executions/${running}`)).body.state).toBe("RUNNING");
    release!();
    expect(await eventually(async () => (await admin.get(`/executions/${running}`)).body.state === "SUCCESS", 30_000)).toBe(true);
  });
});
