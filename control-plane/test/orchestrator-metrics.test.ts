/**
 * Operations (issue 11 item 7) on a real `meshplane serve` with one worker slot: GET
 * /metrics reports executions by state, queue depth, worker utilisation, task-run
 * durations by task type and executions ended, with the values of what just ran; and
 * the JSON log line of a failing task run names its execution and task run.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { eventually } from "./support/processes.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;
let web: Server;
let webUrl: string;
const held: (() => void)[] = [];

beforeAll(async () => {
  web = createServer((req, res) => {
    if (req.url === "/hold") held.push(() => res.end("released"));
    else {
      res.statusCode = 500;
      res.end("broken");
    }
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  server = await startServer({ env: { MESHPLANE_WORKER_CONCURRENCY: "1" } });
  admin = new ApiClient(server.api, server.adminKey);
  expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
  const put = async (id: string, tasks: string) => expect((await admin.put(`/flows/retail.sales/${id}`, `id: ${id}\nnamespace: retail.sales\ntasks:\n${tasks}`)).status).toBe(201);
  await put("held", `  - { id: call, type: http.request, uri: "${webUrl}/hold" }\n`);
  await put("hello", "  - { id: say, type: core.log, message: hello }\n");
  await put("broken", `  - { id: fetch, type: http.request, uri: "${webUrl}/broken" }\n`);
});
afterAll(async () => {
  held.splice(0).forEach((release) => release());
  await server?.stop();
  await new Promise((r) => web?.close(r));
});

/** `name{labels} value` lines of the exposition format, as a map. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  const values = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) values.set(m[1]!, Number(m[2]));
  }
  return values;
}

async function start(flowId: string): Promise<string> {
  const created = await admin.post(`/executions/retail.sales/${flowId}`, {});
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

const ended = async (id: string) => eventually(async () => (await admin.get(`/executions/${id}`)).body.endedAt !== undefined, 30_000);

describe("GET /metrics", () => {
  it("shows executions by state, queue depth and worker utilisation while work waits, then durations and ends after the run", async () => {
    const busy = await start("held");
    expect(await eventually(() => held.length === 1, 30_000)).toBe(true);
    // The only slot is taken: the next execution's task run waits in the queue.
    const waiting = await start("hello");
    expect(await eventually(async () => (await admin.get(`/executions/${waiting}`)).body.taskRuns?.length === 1, 10_000)).toBe(true);
    const during = await scrape();
    expect(during.get('meshplane_executions{state="RUNNING"}')).toBe(2);
    expect(during.get('meshplane_executions{state="QUEUED"}')).toBe(0);
    expect(during.get("meshplane_queue_depth")).toBe(1);
    expect(during.get("meshplane_worker_slots")).toBe(1);
    expect(during.get("meshplane_worker_busy_slots")).toBe(1);
    expect(during.get("meshplane_worker_utilisation_ratio")).toBe(1);

    held.pop()!();
    const broken = await start("broken");
    for (const id of [busy, waiting, broken]) expect(await ended(id)).toBe(true);
    const after = await scrape();
    expect(after.get('meshplane_executions{state="RUNNING"}')).toBe(0);
    expect(after.get("meshplane_queue_depth")).toBe(0);
    expect(after.get("meshplane_worker_busy_slots")).toBe(0);
    expect(after.get("meshplane_worker_utilisation_ratio")).toBe(0);
    expect(after.get('meshplane_executions_ended_total{state="SUCCESS"}')).toBe(2);
    expect(after.get('meshplane_executions_ended_total{state="FAILED"}')).toBe(1);
    expect(after.get('meshplane_task_run_duration_seconds_count{task_type="http.request",state="SUCCESS"}')).toBe(1);
    expect(after.get('meshplane_task_run_duration_seconds_count{task_type="core.log",state="SUCCESS"}')).toBe(1);
    expect(after.get('meshplane_task_run_duration_seconds_count{task_type="http.request",state="FAILED"}')).toBe(1);
    // The held request took at least the time it was held: more than a millisecond.
    expect(after.get('meshplane_task_run_duration_seconds_bucket{le="0.001",task_type="http.request",state="SUCCESS"}')).toBe(0);
    expect(after.get('meshplane_task_run_duration_seconds_sum{task_type="http.request",state="SUCCESS"}')).toBeGreaterThan(0);
    // Defined for the flow triggers, which observe it (nothing fired here).
    expect(after.get("meshplane_trigger_latency_seconds_count")).toBe(0);
  });

  it("a failing task's JSON log line carries its execution id and task run id", async () => {
    const id = await start("broken");
    expect(await ended(id)).toBe(true);
    const [run] = (await admin.get(`/executions/${id}`)).body.taskRuns;
    const line = await (async () => {
      let found: any;
      await eventually(() => {
        found = server
          .stderr()
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l))
          .find((l) => l.msg === "task run failed" && l.executionId === id);
        return found !== undefined;
      }, 5_000);
      return found;
    })();
    expect(line).toMatchObject({ level: 40, executionId: id, taskRunId: run.id, taskId: "fetch", taskType: "http.request", attempt: 1 });
    expect(line.err).toMatch(/500/);
  });
});
