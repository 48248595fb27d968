/**
 * Executions end to end (SPEC §9, issue 11 phase 1): a real `meshplane serve` (API,
 * executor and workers in one process) on its embedded PostgreSQL, driven over HTTP;
 * http.request tasks call a real HTTP server started by this file.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { untilExecution } from "./support/executions.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;
let web: Server;
let webUrl: string;
const held: (() => void)[] = [];

const NS = "retail.sales";

beforeAll(async () => {
  web = createServer((req, res) => {
    if (req.url === "/rows") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(["north", "south"]));
    } else if (req.url === "/hold") {
      held.push(() => res.end("released"));
    } else {
      res.statusCode = 404;
      res.end("no such page");
    }
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: NS, ownerTeam: "sales" })).status).toBe(201);
});
afterAll(async () => {
  await server?.stop();
  held.forEach((release) => release());
  await new Promise((r) => web?.close(r));
});

async function put(id: string, body: string): Promise<void> {
  const a = await admin.put(`/flows/${NS}/${id}`, `id: ${id}\nnamespace: ${NS}\n${body}`);
  expect([200, 201], JSON.stringify(a.body)).toContain(a.status);
}

async function run(flowId: string, body: object = {}, client = admin) {
  const a = await client.post(`/executions/${NS}/${flowId}`, body);
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  expect(a.headers.get("location")).toBe(`/api/v1/executions/${a.body.id}`);
  return a.body as { id: string; state: string; flowRevision: number; [field: string]: any };
}

const until = (id: string, done?: (e: any) => boolean, ms = 45_000): Promise<any> => untilExecution(admin, id, done, ms);

async function logsOf(id: string): Promise<any[]> {
  const a = await admin.get(`/executions/${id}/logs?limit=500`);
  expect(a.status).toBe(200);
  return a.body.items;
}

describe("an execution", () => {
  it("runs core.log, core.parallel (2 branches) and core.foreach (3 values) to SUCCESS, with its task runs, history and logs", async () => {
    await put("daily", `inputs:
  - { id: day, type: DATE }
  - { id: who, type: STRING, required: false, defaults: world }
tasks:
  - id: hello
    type: core.log
    message: "hello {{ inputs.who }} on {{ inputs.day }} in {{ execution.id }}"
  - id: par
    type: core.parallel
    tasks:
      - { id: left, type: core.log, message: left branch }
      - { id: right, type: core.log, message: right branch, level: WARN }
  - id: each
    type: core.foreach
    values: [a, b, c]
    concurrency: 2
    tasks:
      - { id: item, type: core.log, message: "item {{ taskrun.value }}" }
`);
    const started = await run("daily", { inputs: { day: "2026-12-03" }, labels: { team: "sales" } });
    expect(started).toMatchObject({ flowRevision: 1, inputs: { day: "2026-12-03", who: "world" }, labels: { team: "sales" }, trigger: { type: "api", subject: "platform-admin" } });
    const e = await until(started.id);
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
    expect(e.startedAt).toBeDefined();
    expect(e.endedAt).toBeDefined();
    const runs = e.taskRuns.map((r: any) => [r.path, r.value ?? null, r.attempt, r.state]).sort((a: any, b: any) => a[0].localeCompare(b[0]));
    expect(runs).toEqual([
      ["each", null, 1, "SUCCESS"],
      ["each/0/item", "a", 1, "SUCCESS"],
      ["each/1/item", "b", 1, "SUCCESS"],
      ["each/2/item", "c", 1, "SUCCESS"],
      ["hello", null, 1, "SUCCESS"],
      ["par", null, 1, "SUCCESS"],
      ["par/left", null, 1, "SUCCESS"],
      ["par/right", null, 1, "SUCCESS"],
    ]);
    // The execution's own history, then every task run's.
    expect(e.events.filter((ev: any) => !ev.taskRunId).map((ev: any) => `${ev.from ?? ""}>${ev.to}`)).toEqual([">CREATED", "CREATED>RUNNING", "RUNNING>SUCCESS"]);
    const hello = e.taskRuns.find((r: any) => r.path === "hello");
    expect(e.events.filter((ev: any) => ev.taskRunId === hello.id).map((ev: any) => ev.to)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
    const logs = await logsOf(e.id);
    expect(logs.map((l) => l.message).sort()).toEqual([`hello world on 2026-12-03 in ${e.id}`, "item a", "item b", "item c", "left branch", "right branch"].sort());
    expect(logs.find((l) => l.message === "right branch")).toMatchObject({ level: "WARN", taskRunId: e.taskRuns.find((r: any) => r.path === "par/right").id });
    const warnings = await admin.get(`/executions/${e.id}/logs?level=WARN`);
    expect(warnings.body.items.map((l: any) => l.message)).toEqual(["right branch"]);
    // Sequence: the foreach starts only after the parallel ended; the parallel after hello.
    const at = (path: string, which: "startedAt" | "endedAt") => Date.parse(e.taskRuns.find((r: any) => r.path === path)[which]);
    expect(at("par", "startedAt")).toBeGreaterThanOrEqual(at("hello", "endedAt"));
    expect(at("each", "startedAt")).toBeGreaterThanOrEqual(at("par", "endedAt"));
  });

  it("?wait=true answers once it has ended", async () => {
    await put("waited", `tasks:\n  - { id: t, type: core.log, message: waited }\n`);
    const a = await admin.post(`/executions/${NS}/waited?wait=true`, {});
    expect(a.status).toBe(201);
    expect(a.body.state).toBe("SUCCESS");
    expect(a.body.endedAt).toBeDefined();
    expect(a.body.taskRuns.map((r: any) => [r.path, r.state])).toEqual([["t", "SUCCESS"]]);
  });

  it("resolves templates from inputs and an earlier task's outputs (http.request), foreach values from a JSON string", async () => {
    await put("fetch", `inputs:
  - { id: path, type: STRING }
tasks:
  - id: get
    type: http.request
    uri: "${webUrl}/{{ inputs.path }}"
  - id: report
    type: core.log
    message: "status {{ outputs.get.status }} body {{ outputs.get.body }}"
  - id: each
    type: core.foreach
    values: "{{ outputs.get.body }}"
    tasks:
      - { id: region, type: core.log, message: "region {{ taskrun.value }}" }
`);
    const e = await until((await run("fetch", { inputs: { path: "rows" } })).id);
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
    expect(e.taskRuns.find((r: any) => r.path === "get").outputs).toMatchObject({ status: 200, body: '["north","south"]' });
    const messages = (await logsOf(e.id)).map((l) => l.message);
    expect(messages).toContain('status 200 body ["north","south"]');
    expect(messages).toContain("region north");
    expect(messages).toContain("region south");
    expect(e.taskRuns.filter((r: any) => r.taskId === "region").map((r: any) => r.value).sort()).toEqual(["north", "south"]);
  });

  it("fails the task that uses an unknown template variable, naming it, and the execution with it", async () => {
    await put("typo", `tasks:
  - { id: first, type: core.log, message: "day {{ inputs.dya }}" }
  - { id: never, type: core.log, message: never }
`);
    const e = await until((await run("typo")).id);
    expect(e.state).toBe("FAILED");
    const first = e.taskRuns.find((r: any) => r.path === "first");
    expect(first.state).toBe("FAILED");
    expect(first.error).toContain("undefined variable: inputs.dya");
    expect(e.error).toContain("inputs.dya");
    expect(e.taskRuns.map((r: any) => r.path)).toEqual(["first"]);
    expect((await logsOf(e.id)).map((l) => [l.level, l.message])).toEqual([["ERROR", expect.stringContaining("undefined variable: inputs.dya")]]);
  });

  it("fails an http.request answered 404, and notify.email with 'not available yet'", async () => {
    await put("broken", `tasks:
  - { id: get, type: http.request, uri: "${webUrl}/missing" }
`);
    const e = await until((await run("broken")).id);
    expect(e.state).toBe("FAILED");
    expect(e.taskRuns[0].error).toContain("answered 404");
    await put("warehouse", `tasks:
  - { id: m, type: notify.email, to: [a@b.co], subject: s }
`);
    const w = await until((await run("warehouse")).id);
    expect(w.state).toBe("FAILED");
    expect(w.taskRuns[0].error).toContain("not available yet: notify.email runs once the notifications land");
  });

  it("keeps running the revision it was created with when a new revision is PUT meanwhile", async () => {
    const rev = (n: number) => `tasks:
  - { id: wait, type: http.request, uri: "${webUrl}/hold" }
  - { id: after, type: core.log, message: "revision ${n}" }
${n === 2 ? "  - { id: added, type: core.log, message: added in 2 }\n" : ""}`;
    await put("pinned", rev(1));
    const started = await run("pinned");
    await until(started.id, (e) => e.taskRuns.some((r: any) => r.path === "wait" && r.state === "RUNNING"));
    await put("pinned", rev(2));
    expect((await admin.get(`/flows/${NS}/pinned`)).body.revision).toBe(2);
    held.splice(0).forEach((release) => release());
    const e = await until(started.id);
    expect(e.state).toBe("SUCCESS");
    expect(e.flowRevision).toBe(1);
    expect(e.taskRuns.map((r: any) => r.path)).toEqual(["wait", "after"]);
    expect((await logsOf(e.id)).map((l) => l.message)).toContain("revision 1");
    expect((await logsOf(e.id)).map((l) => l.message)).not.toContain("revision 2");
  });

  it("retries a failed task run with its backoff, one attempt per row, each attempt starting when its backoff ends (not at the next 1 s poll)", async () => {
    await put("retried", `tasks:
  - id: get
    type: http.request
    uri: "${webUrl}/missing"
    retry: { type: constant, interval: PT0.3S, maxAttempts: 4 }
`);
    const e = await until((await run("retried")).id);
    expect(e.state).toBe("FAILED");
    expect(e.taskRuns.map((r: any) => [r.path, r.attempt, r.state])).toEqual([["get", 1, "FAILED"], ["get", 2, "FAILED"], ["get", 3, "FAILED"], ["get", 4, "FAILED"]]);
    expect(e.error).toContain("after 4 attempts");
    const gaps = [1, 2, 3].map((i) => Date.parse(e.taskRuns[i].startedAt) - Date.parse(e.taskRuns[i - 1].endedAt));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(250);
    // Waiting for the worker's 1 s poll, the three gaps would add up to 0.9–3.9 s.
    expect(gaps.reduce((a, b) => a + b)).toBeLessThan(2_000);
  });
});

describe("a flow's concurrency limit", () => {
  const limited = (behavior: string) => `concurrency: { limit: 1, behavior: ${behavior} }
tasks:
  - { id: wait, type: http.request, uri: "${webUrl}/hold" }
`;
  const holding = (e: any) => e.taskRuns.some((r: any) => r.path === "wait" && r.state === "RUNNING");

  it("QUEUE: a start over the limit waits QUEUED and runs when the running one ends", async () => {
    await put("limited_queue", limited("QUEUE"));
    const a = await run("limited_queue");
    await until(a.id, holding);
    const b = await run("limited_queue");
    expect(b.state).toBe("QUEUED");
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await admin.get(`/executions/${b.id}`)).body.state).toBe("QUEUED");
    held.splice(0).forEach((release) => release());
    expect((await until(a.id)).state).toBe("SUCCESS");
    await until(b.id, holding);
    held.splice(0).forEach((release) => release());
    const done = await until(b.id);
    expect(done.state).toBe("SUCCESS");
    expect(done.events.filter((ev: any) => !ev.taskRunId).map((ev: any) => ev.to)).toEqual(["CREATED", "QUEUED", "RUNNING", "SUCCESS"]);
    expect(Date.parse(done.startedAt)).toBeGreaterThanOrEqual(Date.parse((await admin.get(`/executions/${a.id}`)).body.endedAt));
  });

  it.each([["FAIL", "FAILED"], ["CANCEL", "CANCELLED"]])("%s: a start over the limit ends %s at once, saying why", async (behavior, state) => {
    await put(`limited_${behavior.toLowerCase()}`, limited(behavior));
    const a = await run(`limited_${behavior.toLowerCase()}`);
    await until(a.id, holding);
    const b = await run(`limited_${behavior.toLowerCase()}`);
    expect(b.state).toBe(state);
    expect(b.error).toContain("concurrency limit");
    expect(b.taskRuns).toEqual([]);
    held.splice(0).forEach((release) => release());
    expect((await until(a.id)).state).toBe("SUCCESS");
  });
});

describe("starting an execution", () => {
  it("checks inputs against the flow's typed inputs, naming each problem; nothing is created", async () => {
    await put("typed", `inputs:
  - { id: day, type: DATE }
  - { id: count, type: INT, required: false }
tasks:
  - { id: t, type: core.log, message: "{{ inputs.day }}" }
`);
    const before = (await admin.get(`/executions?namespace=${NS}&flowId=typed`)).body.items.length;
    const cases: [object, string, string][] = [
      [{}, "/inputs/day", "input day (DATE) is required"],
      [{ day: "2026-02-30" }, "/inputs/day", "2026-02-30 is not a day of the calendar"],
      [{ day: "2026-12-03", count: "3" }, "/inputs/count", "input count (INT) must be an integer"],
      [{ day: "2026-12-03", colour: "red" }, "/inputs/colour", "input colour is not an input of this flow (it declares day, count)"],
    ];
    for (const [inputs, pointer, message] of cases) {
      const a = await admin.post(`/executions/${NS}/typed`, { inputs });
      expect(a.status, JSON.stringify(inputs)).toBe(422);
      expect(a.headers.get("content-type")).toContain("application/problem+json");
      expect(a.body.errors).toEqual([expect.objectContaining({ pointer, message: expect.stringContaining(message) })]);
      expect(a.body.detail).toContain(message);
    }
    expect((await admin.post(`/executions/${NS}/typed`, { inputs: "day" })).status).toBe(400);
    expect((await admin.get(`/executions?namespace=${NS}&flowId=typed`)).body.items.length).toBe(before);
  });

  it("refuses a disabled flow (409) and a deleted or unknown one (404), saying why", async () => {
    await put("off", `disabled: true\ntasks:\n  - { id: t, type: core.log, message: x }\n`);
    const off = await admin.post(`/executions/${NS}/off`, {});
    expect(off.status).toBe(409);
    expect(off.body.detail).toContain("is disabled");
    await put("gone", `tasks:\n  - { id: t, type: core.log, message: x }\n`);
    expect((await admin.delete(`/flows/${NS}/gone`)).status).toBe(204);
    const gone = await admin.post(`/executions/${NS}/gone`, {});
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toContain("it was deleted");
    expect((await admin.post(`/executions/${NS}/never_was`, {})).status).toBe(404);
  });

  it("needs execution.trigger: a viewer gets 403, an executor starts it and reads it; another team sees nothing", async () => {
    await put("robots", `tasks:\n  - { id: t, type: core.log, message: x }\n`);
    const viewer = admin.as(await makeServiceAccount(admin, "exec-viewer", "readers", [{ role: "viewer", namespace: NS }]));
    const executor = admin.as(await makeServiceAccount(admin, "exec-robot", "robots", [{ role: "executor", namespace: NS }]));
    const stranger = admin.as(await makeServiceAccount(admin, "exec-stranger", "finance"));
    const refused = await viewer.post(`/executions/${NS}/robots`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("execution.trigger");
    expect(refused.body.detail).toContain(NS);
    const started = await run("robots", {}, executor);
    expect(started.trigger).toMatchObject({ type: "api", subject: "exec-robot" });
    expect((await viewer.get(`/executions/${started.id}`)).status).toBe(200);
    // The parent namespace is not the viewer's to list (here it is not even registered: 404).
    expect([403, 404]).toContain((await viewer.get(`/executions?namespace=retail`)).status);
    expect((await viewer.get(`/executions?namespace=${NS}`)).body.items.map((e: any) => e.id)).toContain(started.id);
    expect((await stranger.get(`/executions/${started.id}`)).status).toBe(403);
    expect((await stranger.get(`/executions/${started.id}/logs`)).status).toBe(403);
    expect((await stranger.get(`/executions?namespace=${NS}`)).status).toBe(403);
    expect((await stranger.get(`/executions`)).status).toBe(403);
    const audit = await admin.get(`/audit?namespace=${NS}&limit=100`);
    expect(audit.body.items).toContainEqual(expect.objectContaining({ action: "execution.create", subject: "exec-robot", resourceId: started.id }));
  });
});

describe("listing executions", () => {
  it("pages newest first within a namespace subtree, filtered by flow and state", async () => {
    await put("paged", `tasks:\n  - { id: t, type: core.log, message: x }\n`);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await run("paged")).id);
    for (const id of ids) await until(id);
    const first = await admin.get(`/executions?namespace=retail&flowId=paged&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: any) => e.id)).toEqual([ids[2], ids[1]]);
    const second = await admin.get(`/executions?namespace=retail&flowId=paged&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((e: any) => e.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await admin.get(`/executions?namespace=${NS}&state=FAILED&flowId=paged`)).body.items).toEqual([]);
    expect((await admin.get(`/executions/not-a-uuid`)).status).toBe(400);
    expect((await admin.get(`/executions/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});
