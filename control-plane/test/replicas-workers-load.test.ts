/**
 * Two replicas and two workers under load (issue 11 "Prove it"), real processes on one
 * external PostgreSQL 15: `serve` A runs the API and workers, `serve` B is API-only
 * (MESHPLANE_WORKER_CONCURRENCY=0), and two `meshplane worker` processes.
 * - 300 executions started at once through both replicas all end, each once (one
 *   RUNNING event, one end event), none lost, no task run completed twice;
 * - a flow with `concurrency: {limit: 2}` started 30 times at once across both replicas
 *   never has more than 2 RUNNING, read from the state history (execution_events) as
 *   intervals, not by sampling.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { hostname } from "node:os";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { startWorker, type TestWorker } from "./support/worker.ts";
import { TERMINAL } from "./support/executions.ts";

let pg: ExternalPostgres;
let url: string;
let a: TestServer;
let b: TestServer;
let clients: ApiClient[];
let web: Server;
let webUrl: string;
const workers: TestWorker[] = [];
const adminKey = `mp_${randomBytes(32).toString("base64url")}`;

beforeAll(async () => {
  // Answers after 150 ms: executions of the limited flow overlap unless the limit holds them back.
  web = createServer((_req, res) => void setTimeout(() => res.end("ok"), 150));
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_load");
  const env = (workers: string) => ({
    MESHPLANE_DATABASE_URL: url,
    MESHPLANE_JWT_SECRET: "replicas-share-this-secret-0123456789abcdef",
    MESHPLANE_ADMIN_API_KEY: adminKey,
    MESHPLANE_WORKER_CONCURRENCY: workers,
  });
  a = await startServer({ env: env("4") });
  b = await startServer({ env: env("0") });
  workers.push(...(await Promise.all([startWorker(url, { MESHPLANE_WORKER_CONCURRENCY: "4" }), startWorker(url, { MESHPLANE_WORKER_CONCURRENCY: "4" })])));
  clients = [new ApiClient(a.api, adminKey), new ApiClient(b.api, adminKey)];
  expect((await clients[0]!.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await clients[1]!.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
}, 180_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all([a?.stop(), b?.stop()]);
  await new Promise((r) => web?.close(r));
  await pg?.stop();
});

const q = <R = any>(sql: string, params: unknown[] = []) => pg.query<R & object>(sql, params, url) as Promise<R[]>;

/** Starts `n` executions of `flowId` at once, alternating between the two replicas; answers their ids. */
async function burst(flowId: string, n: number): Promise<string[]> {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => clients[i % 2]!.post(`/executions/retail.sales/${flowId}`, { labels: { i: String(i) } })));
  const refused = answers.find((r) => r.status !== 201);
  expect(refused, JSON.stringify(refused?.body)).toBeUndefined();
  return answers.map((r) => r.body.id as string);
}

async function allEnded(ids: readonly string[], timeoutMs: number): Promise<void> {
  const done = await eventually(async () => (await q<{ n: number }>("SELECT count(*)::int AS n FROM executions WHERE id = ANY($1::uuid[]) AND ended_at IS NULL", [ids]))[0]!.n === 0, timeoutMs, 500);
  const left = await q("SELECT state, count(*)::int AS n FROM executions WHERE id = ANY($1::uuid[]) GROUP BY state", [ids]);
  expect(done, JSON.stringify(left)).toBe(true);
}

describe("two replicas and two workers on one PostgreSQL", () => {
  it("300 executions started at once through both replicas each end once; none lost, no task run completed twice", async () => {
    const source = "id: burst\nnamespace: retail.sales\ntasks:\n  - { id: first, type: core.log, message: one }\n  - { id: second, type: core.log, message: two }\n";
    expect((await clients[0]!.put("/flows/retail.sales/burst", source)).status).toBe(201);
    const ids = await burst("burst", 300);
    expect(new Set(ids).size).toBe(300);
    await allEnded(ids, 180_000);

    const states = await q("SELECT state, count(*)::int AS n FROM executions WHERE flow_id = 'burst' GROUP BY state");
    expect(states).toEqual([{ state: "SUCCESS", n: 300 }]);
    // Each execution's own history: CREATED, one RUNNING, one end.
    const histories = await q<{ history: string; n: number }>(
      `SELECT history, count(*)::int AS n FROM (
         SELECT string_agg(to_state, ',' ORDER BY id) AS history FROM execution_events
         WHERE task_run_id IS NULL AND execution_id = ANY($1::uuid[]) GROUP BY execution_id) h
       GROUP BY history`,
      [ids],
    );
    expect(histories).toEqual([{ history: "CREATED,RUNNING,SUCCESS", n: 300 }]);
    // Two task runs per execution, one attempt each, each completed exactly once.
    const runs = await q("SELECT count(*)::int AS runs, count(DISTINCT (execution_id, path))::int AS positions, max(attempt) AS attempts FROM task_runs WHERE execution_id = ANY($1::uuid[])", [ids]);
    expect(runs).toEqual([{ runs: 600, positions: 600, attempts: 1 }]);
    const completions = await q(
      `SELECT count(*)::int AS n FROM (
         SELECT task_run_id FROM execution_events
         WHERE execution_id = ANY($1::uuid[]) AND task_run_id IS NOT NULL AND from_state = 'RUNNING' AND to_state IN ('SUCCESS', 'WARNING', 'FAILED')
         GROUP BY task_run_id HAVING count(*) = 1) once`,
      [ids],
    );
    expect(completions).toEqual([{ n: 600 }]);
    // The work was shared: more than one process ran task runs.
    const byWorker = await q("SELECT worker_id, count(*)::int AS n FROM task_runs WHERE execution_id = ANY($1::uuid[]) GROUP BY worker_id", [ids]);
    expect(byWorker.length, JSON.stringify(byWorker)).toBeGreaterThan(1);
    // …and only the processes that run workers: serve A and the two workers, never the API-only B.
    const running = [`${hostname()}:${a.process.pid}`, ...workers.map((x) => x.workerId)];
    for (const w of byWorker) expect(running).toContain(w.worker_id);
  }, 240_000);

  it("a flow with concurrency limit 2 started 30 times at once across both replicas never runs more than 2 at once", async () => {
    const source = `id: limited\nnamespace: retail.sales\nconcurrency: { limit: 2 }\ntasks:\n  - { id: call, type: http.request, uri: "${webUrl}/" }\n`;
    expect((await clients[1]!.put("/flows/retail.sales/limited", source)).status).toBe(201);
    const ids = await burst("limited", 30);
    await allEnded(ids, 120_000);
    const states = await q("SELECT state, count(*)::int AS n FROM executions WHERE id = ANY($1::uuid[]) GROUP BY state", [ids]);
    expect(states).toEqual([{ state: "SUCCESS", n: 30 }]);

    // Each execution's RUNNING interval, from its state history: [RUNNING event, end event).
    const intervals = await q<{ id: string; started: string; ended: string; runs: number; ends: number }>(
      `SELECT execution_id AS id,
              min(at) FILTER (WHERE to_state = 'RUNNING') AS started,
              min(at) FILTER (WHERE to_state = ANY($2::text[])) AS ended,
              count(*) FILTER (WHERE to_state = 'RUNNING')::int AS runs,
              count(*) FILTER (WHERE to_state = ANY($2::text[]))::int AS ends
       FROM execution_events WHERE task_run_id IS NULL AND execution_id = ANY($1::uuid[])
       GROUP BY execution_id`,
      [ids, TERMINAL],
    );
    expect(intervals).toHaveLength(30);
    for (const i of intervals) expect({ runs: i.runs, ends: i.ends }).toEqual({ runs: 1, ends: 1 });
    // Sweep over the interval boundaries; at the same instant an end frees its slot before a start takes it.
    const points = intervals.flatMap((i) => [
      { at: new Date(i.started).getTime(), delta: 1 },
      { at: new Date(i.ended).getTime(), delta: -1 },
    ]);
    points.sort((x, y) => x.at - y.at || x.delta - y.delta);
    let running = 0;
    let most = 0;
    for (const p of points) most = Math.max(most, (running += p.delta));
    expect(most).toBe(2);
    // Most of them waited their turn in QUEUED.
    const queued = await q("SELECT count(DISTINCT execution_id)::int AS n FROM execution_events WHERE to_state = 'QUEUED' AND execution_id = ANY($1::uuid[])", [ids]);
    expect(queued[0].n).toBeGreaterThanOrEqual(20);
  }, 180_000);
});
