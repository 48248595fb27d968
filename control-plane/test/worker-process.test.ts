/**
 * `meshplane worker` as its own process (issue 11 item 5): it refuses to start without
 * the database URL of the serve processes, runs the executions an API-only replica
 * accepted, serves its own metrics with MESHPLANE_METRICS_PORT, and on SIGTERM stops claiming, lets its running task run finish within
 * MESHPLANE_SHUTDOWN_GRACE_MS and exits 0; past the grace it exits anyway and leaves the
 * run to its lease, and another worker runs it.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { runMeshplane, startServer, type TestServer } from "./support/server.ts";
import { startWorker, type TestWorker } from "./support/worker.ts";

let pg: ExternalPostgres;
let url: string;
let api: TestServer;
let admin: ApiClient;
let web: Server;
let webUrl: string;
const workers: TestWorker[] = [];
const held: (() => void)[] = [];
const adminKey = `mp_${randomBytes(32).toString("base64url")}`;
const LEASE = { MESHPLANE_WORKER_LEASE_MS: "2000", MESHPLANE_WORKER_HEARTBEAT_MS: "500" };

beforeAll(async () => {
  web = createServer((_req, res) => void held.push(() => res.end("done")));
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_worker");
  api = await startServer({ env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_ADMIN_API_KEY: adminKey, MESHPLANE_WORKER_CONCURRENCY: "0" } });
  admin = new ApiClient(api.api, adminKey);
  expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
  const source = `id: held\nnamespace: retail.sales\ntasks:\n  - { id: call, type: http.request, uri: "${webUrl}/held" }\n`;
  expect((await admin.put("/flows/retail.sales/held", source)).status).toBe(201);
});
afterAll(async () => {
  for (const w of workers) await w.stop("SIGKILL").catch(() => undefined);
  held.splice(0).forEach((release) => release());
  await api?.stop();
  web?.closeAllConnections();
  await new Promise((r) => web?.close(r));
  await pg?.stop();
});

const q = <R = any>(sql: string, params: unknown[] = []) => pg.query<R & object>(sql, params, url) as Promise<R[]>;

/** Starts an execution of the held flow and waits until a worker's request is held by the web server. */
async function startHeld(): Promise<string> {
  const before = held.length;
  const created = await admin.post("/executions/retail.sales/held", {});
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(await eventually(() => held.length > before, 30_000)).toBe(true);
  return created.body.id as string;
}

const taskRun = async (id: string) => (await q("SELECT id, state, worker_id, outputs FROM task_runs WHERE execution_id = $1", [id]))[0];
const taskRunEvents = async (taskRunId: string) =>
  (await q("SELECT from_state, to_state FROM execution_events WHERE task_run_id = $1 ORDER BY id", [taskRunId])).map((e) => `${e.from_state}->${e.to_state}`);

describe("meshplane worker", () => {
  it("refuses to start without MESHPLANE_DATABASE_URL, or without slots, in one line saying what to do", async () => {
    const noUrl = await runMeshplane({ args: ["worker"], env: { MESHPLANE_DATABASE_URL: "" } });
    expect(noUrl.code).toBe(1);
    expect(`${noUrl.stdout}${noUrl.stderr}`.trim().split("\n")).toEqual([expect.stringMatching(/^meshplane: MESHPLANE_DATABASE_URL: meshplane worker needs the postgres:\/\/ URL .*run PostgreSQL yourself/)]);
    const noSlots = await runMeshplane({ args: ["worker"], env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_WORKER_CONCURRENCY: "0" } });
    expect(noSlots.code).toBe(1);
    expect(`${noSlots.stdout}${noSlots.stderr}`.trim().split("\n")).toEqual([expect.stringMatching(/^meshplane: MESHPLANE_WORKER_CONCURRENCY: is 0.*set 1 or more/)]);
  });

  it("runs what an API-only replica accepted, and on SIGTERM finishes its running task run within the grace, then exits 0", async () => {
    const worker = await startWorker(url, { MESHPLANE_METRICS_PORT: "0", MESHPLANE_WORKER_CONCURRENCY: "3" });
    workers.push(worker);
    const id = await startHeld();
    // Its own metrics (MESHPLANE_METRICS_PORT), which only this process knows: one of its 3 slots is busy.
    const metrics = await (await fetch(`${worker.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^meshplane_worker_slots 3$/m);
    expect(metrics).toMatch(/^meshplane_worker_busy_slots 1$/m);
    expect(metrics).toMatch(/^meshplane_executions\{state="RUNNING"\} 1$/m);
    expect(metrics).toMatch(/^meshplane_process_resident_memory_bytes \d+/m);
    expect((await fetch(`${worker.metricsUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.metricsUrl}/api/v1/whoami`)).status).toBe(404);
    worker.process.kill("SIGTERM");
    // Draining: alive while its task run is held, and it records the result once released.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(worker.process.exitCode, worker.stderr()).toBeNull();
    held.pop()!();
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const run = await taskRun(id);
    expect(run).toMatchObject({ state: "SUCCESS", worker_id: worker.workerId, outputs: { status: 200, body: "done" } });
    expect(await taskRunEvents(run.id)).toEqual(["null->CREATED", "CREATED->RUNNING", "RUNNING->SUCCESS"]);
    // The execution ended too: its decision ran before the pools closed.
    expect(await eventually(async () => (await admin.get(`/executions/${id}`)).body.state === "SUCCESS", 10_000)).toBe(true);
  });

  it("past MESHPLANE_SHUTDOWN_GRACE_MS exits 0 anyway, leaving the run to its lease; another worker runs it", async () => {
    const first = await startWorker(url, { ...LEASE, MESHPLANE_SHUTDOWN_GRACE_MS: "300" });
    workers.push(first);
    const id = await startHeld();
    first.process.kill("SIGTERM");
    expect(await first.exited).toEqual({ code: 0, signal: null });
    // The web server never answered: the worker did not wait for the answer (it aborted the request) and recorded nothing.
    expect(held).toHaveLength(1);
    const left = await taskRun(id);
    expect(left).toMatchObject({ state: "RUNNING", worker_id: first.workerId });

    const second = await startWorker(url, LEASE);
    workers.push(second);
    expect(await eventually(() => held.length === 2, 30_000), second.stderr()).toBe(true);
    held.pop()!();
    expect(await eventually(async () => (await admin.get(`/executions/${id}`)).body.state === "SUCCESS", 30_000)).toBe(true);
    expect(await taskRun(id)).toMatchObject({ state: "SUCCESS", worker_id: second.workerId });
    expect(await taskRunEvents(left.id)).toEqual(["null->CREATED", "CREATED->RUNNING", "RUNNING->CREATED", "CREATED->RUNNING", "RUNNING->SUCCESS"]);
    await second.stop();
  });
});
