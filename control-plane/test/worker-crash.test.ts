/**
 * Crash recovery with real processes (issue 11 "Prove it"): an API-only `meshplane serve`
 * and `meshplane worker` processes on one external PostgreSQL 15. Worker A is killed
 * with SIGKILL in the middle of an http.request to a local server that never answers
 * it; once A's lease has expired (2 s here, MESHPLANE_WORKER_LEASE_MS), worker B's sweep
 * resubmits the task run, B runs it, and the execution ends exactly once. The dead
 * worker's completion, had it come late, could not apply: its lease no longer matches.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { startWorker, type TestWorker } from "./support/worker.ts";

let pg: ExternalPostgres;
let url: string;
let api: TestServer;
let web: Server;
let webUrl: string;
const workers: TestWorker[] = [];
/** Requests the slow page received: the first is never answered, the second when the test releases it. */
const requests: string[] = [];
let releaseSecond: (() => void) | undefined;
const adminKey = `mp_${randomBytes(32).toString("base64url")}`;
const LEASE = { MESHPLANE_WORKER_LEASE_MS: "2000", MESHPLANE_WORKER_HEARTBEAT_MS: "500" };

beforeAll(async () => {
  web = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (requests.length === 2) releaseSecond = () => res.end("done");
    else if (requests.length > 2) res.end("done");
    // The first: held until the worker that sent it is dead (its socket closes with it).
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_crash");
  api = await startServer({ env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_ADMIN_API_KEY: adminKey, MESHPLANE_WORKER_CONCURRENCY: "0", ...LEASE } });
});
afterAll(async () => {
  for (const w of workers) await w.stop("SIGKILL").catch(() => undefined);
  await api?.stop();
  web?.closeAllConnections();
  await new Promise((r) => web?.close(r));
  await pg?.stop();
});

const q = <R = any>(sql: string, params: unknown[] = []) => pg.query<R & object>(sql, params, url) as Promise<R[]>;

it("a worker killed mid-task: its task run is resubmitted after the lease, run by another worker, and the execution ends once", async () => {
  const admin = new ApiClient(api.api, adminKey);
  expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
  const source = `id: slow\nnamespace: retail.sales\ntasks:\n  - { id: call, type: http.request, uri: "${webUrl}/slow" }\n  - { id: after, type: core.log, message: after }\n`;
  expect((await admin.put("/flows/retail.sales/slow", source)).status).toBe(201);

  const a = await startWorker(url, LEASE);
  workers.push(a);
  const created = await admin.post("/executions/retail.sales/slow", {});
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  expect(await eventually(() => requests.length === 1, 30_000), a.stderr()).toBe(true);
  const [claimedByA] = await q("SELECT id, worker_id, lease_id, state FROM task_runs WHERE execution_id = $1 AND path = 'call'", [id]);
  expect(claimedByA).toMatchObject({ worker_id: a.workerId, state: "RUNNING" });
  expect(a.workerId).toMatch(new RegExp(`:${a.pid}$`));

  // B is idle (the only claimable work is A's) until A's lease expires.
  const b = await startWorker(url, LEASE);
  workers.push(b);
  a.process.kill("SIGKILL");
  expect((await a.exited).signal).toBe("SIGKILL");
  // A is dead: nothing renews its lease any more.
  const [{ lease_until: lastLease }] = await q("SELECT lease_until FROM task_runs WHERE id = $1", [claimedByA.id]);

  expect(await eventually(() => requests.length === 2, 45_000), b.stderr()).toBe(true);
  const [claimedByB] = await q("SELECT id, worker_id, lease_id, state FROM task_runs WHERE execution_id = $1 AND path = 'call'", [id]);
  expect(claimedByB).toMatchObject({ id: claimedByA.id, worker_id: b.workerId, state: "RUNNING" });
  expect(claimedByB.lease_id).not.toBe(claimedByA.lease_id);

  // A's completion arriving now, while B runs the task, quoting A's lease (complete-task-runs.sql as the worker sends it), changes nothing.
  const complete = readFileSync(new URL("../src/sql/executions/complete-task-runs.sql", import.meta.url), "utf8");
  const late = await q(complete, [JSON.stringify([{ id: claimedByA.id, leaseId: claimedByA.lease_id, state: "FAILED", outputs: {}, error: "late, from the dead worker" }])]);
  expect(late).toEqual([]);
  expect((await q("SELECT state, worker_id, error FROM task_runs WHERE id = $1", [claimedByA.id]))[0]).toEqual({ state: "RUNNING", worker_id: b.workerId, error: null });

  releaseSecond!();
  expect(await eventually(async () => (await admin.get(`/executions/${id}`)).body.endedAt !== undefined, 45_000), b.stderr()).toBe(true);
  const execution = (await admin.get(`/executions/${id}`)).body;
  expect(execution.state, JSON.stringify(execution)).toBe("SUCCESS");

  // The same task run (one attempt, never a second row), finished by B with the answer B got.
  const runs = await q("SELECT id, path, attempt, state, worker_id, outputs FROM task_runs WHERE execution_id = $1 ORDER BY created_at, path", [id]);
  expect(runs.map((r) => `${r.path}#${r.attempt}:${r.state}`)).toEqual(["call#1:SUCCESS", "after#1:SUCCESS"]);
  expect(runs[0]).toMatchObject({ id: claimedByA.id, worker_id: b.workerId, outputs: { status: 200, body: "done" } });
  expect(requests).toEqual(["/slow", "/slow"]);

  // Its history: claimed by A, resubmitted once A's last lease had passed, claimed by B, completed once.
  const events = await q("SELECT from_state, to_state, at FROM execution_events WHERE task_run_id = $1 ORDER BY id", [claimedByA.id]);
  expect(events.map((e) => `${e.from_state}->${e.to_state}`)).toEqual(["null->CREATED", "CREATED->RUNNING", "RUNNING->CREATED", "CREATED->RUNNING", "RUNNING->SUCCESS"]);
  expect(new Date(events[2].at).getTime()).toBeGreaterThanOrEqual(new Date(lastLease).getTime());

  // The execution itself: one RUNNING, one end.
  const own = await q("SELECT from_state, to_state FROM execution_events WHERE execution_id = $1 AND task_run_id IS NULL ORDER BY id", [id]);
  expect(own.map((e) => e.to_state)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);

});
