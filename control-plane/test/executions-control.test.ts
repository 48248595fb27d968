/**
 * Controlling executions over HTTP (SPEC §9, issue 11): kill (a running http.request is
 * really aborted: the local server below sees its connection close), restart (same
 * execution, same pinned revision, only the failed task runs again), follow as
 * server-sent events read by a real streaming client, the flow `timeout`, and the list
 * filters. One real `meshplane serve` on its embedded PostgreSQL.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { untilExecution } from "./support/executions.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;
let web: Server;
let webUrl: string;

const NS = "retail.ops";

/** Requests the local server holds open, by name, and whether their connection was closed by the caller. */
const held = new Map<string, { res: ServerResponse; closed: boolean }[]>();
let flakyUp = false;
/** `/failing/<name>/<n>`: the first n requests of each name fail (503), later ones succeed. */
const failingCalls = new Map<string, number>();

function hold(name: string, req: IncomingMessage, res: ServerResponse) {
  const entry = { res, closed: false };
  req.socket.on("close", () => (entry.closed = true));
  held.set(name, [...(held.get(name) ?? []), entry]);
}
function release(name: string) {
  for (const h of held.get(name) ?? []) if (!h.closed) h.res.end("released");
}

beforeAll(async () => {
  web = createServer((req, res) => {
    const [, kind, name] = (req.url ?? "").split("/");
    if (kind === "hold") hold(name ?? "", req, res);
    else if (kind === "flaky") {
      res.statusCode = flakyUp ? 200 : 503;
      res.end(flakyUp ? "up" : "down");
    } else if (kind === "failing") {
      const calls = (failingCalls.get(name ?? "") ?? 0) + 1;
      failingCalls.set(name ?? "", calls);
      const down = calls <= Number((req.url ?? "").split("/")[3]);
      res.statusCode = down ? 503 : 200;
      res.end(down ? `down (call ${calls})` : "up");
    } else if (kind === "fail") {
      res.statusCode = 500;
      res.end("always down");
    } else {
      res.statusCode = 404;
      res.end("no such page");
    }
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  server = await startServer({ env: { MESHPLANE_FOLLOW_MAX_STREAMS: "3", MESHPLANE_FOLLOW_HEARTBEAT_MS: "200" } });
  admin = new ApiClient(server.api, server.adminKey);
  expect((await admin.post("/teams", { name: "ops" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: NS, ownerTeam: "ops" })).status).toBe(201);
});
afterAll(async () => {
  await server?.stop();
  for (const name of held.keys()) release(name);
  web?.closeAllConnections();
  await new Promise((r) => web?.close(r));
});

async function put(id: string, body: string): Promise<void> {
  const a = await admin.put(`/flows/${NS}/${id}`, `id: ${id}\nnamespace: ${NS}\n${body}`);
  expect([200, 201], JSON.stringify(a.body)).toContain(a.status);
}

async function run(flowId: string, body: object = {}) {
  const a = await admin.post(`/executions/${NS}/${flowId}`, body);
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body as { id: string; state: string; [field: string]: any };
}

const until = (id: string, done?: (e: any) => boolean, ms = 30_000): Promise<any> => untilExecution(admin, id, done, ms);

const running = (path: string) => (e: any) => e.taskRuns.some((r: any) => r.path === path && r.state === "RUNNING");
const history = (e: any) => e.events.filter((ev: any) => !ev.taskRunId).map((ev: any) => `${ev.from ?? ""}>${ev.to}`);
const runsOf = (e: any) => e.taskRuns.map((r: any) => `${r.path}#${r.attempt}:${r.state}`).sort();

async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not seen within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("POST /executions/{id}/kill", () => {
  it("aborts a running http.request (the connection closes), ends unclaimed and flowable runs KILLED, the execution KILLING then KILLED; audited", async () => {
    await put("killme", `tasks:
  - id: par
    type: core.parallel
    tasks:
      - { id: slow, type: http.request, uri: "${webUrl}/hold/killme" }
      - { id: retried, type: http.request, uri: "${webUrl}/fail", retry: { type: constant, interval: PT1H, maxAttempts: 2 } }
  - { id: after, type: core.log, message: never }
`);
    const started = await run("killme");
    // The retry of `retried` waits an hour: an unclaimed run the kill must end.
    await until(started.id, (e) => running("par/slow")(e) && e.taskRuns.some((r: any) => r.path === "par/retried" && r.attempt === 2));
    await waitFor("the held request", () => (held.get("killme") ?? []).length === 1);
    const killed = await admin.post(`/executions/${started.id}/kill`);
    expect(killed.status, JSON.stringify(killed.body)).toBe(202);
    expect(["KILLING", "KILLED"]).toContain(killed.body.state);
    const e = await until(started.id);
    expect(e.state).toBe("KILLED");
    // The worker really cancelled the fetch: the local server saw the caller hang up.
    await waitFor("the held connection closed by the worker", () => held.get("killme")![0]!.closed);
    expect(runsOf(e)).toEqual(["par#1:KILLED", "par/retried#1:FAILED", "par/retried#2:KILLED", "par/slow#1:KILLED"]);
    expect(history(e)).toEqual([">CREATED", "CREATED>RUNNING", "RUNNING>KILLING", "KILLING>KILLED"]);
    const slow = e.taskRuns.find((r: any) => r.path === "par/slow");
    expect(e.events.filter((ev: any) => ev.taskRunId === slow.id).map((ev: any) => ev.to)).toEqual(["CREATED", "RUNNING", "KILLING", "KILLED"]);
    const audit = await admin.get(`/audit?resourceType=execution&resourceId=${started.id}`);
    expect(audit.body.items.map((a: any) => a.action)).toContain("execution.kill");

    // Killing it again: it ended, and the answer says how.
    const again = await admin.post(`/executions/${started.id}/kill`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("already ended in KILLED");
  });

  it("kills the child a core.subflow task started, and its running request, with the parent", async () => {
    await put("sub_child", `tasks:
  - { id: wait, type: http.request, uri: "${webUrl}/hold/sub_child" }
`);
    await put("sub_parent", `tasks:
  - { id: call, type: core.subflow, namespace: ${NS}, flowId: sub_child }
  - { id: after, type: core.log, message: never }
`);
    const parent = await run("sub_parent");
    await waitFor("the child's held request", () => (held.get("sub_child") ?? []).length === 1);
    const children = await admin.get(`/executions?namespace=${NS}&flowId=sub_child`);
    const child = children.body.items.find((c: any) => c.parentExecutionId === parent.id);
    expect(child, JSON.stringify(children.body.items)).toBeDefined();
    expect((await admin.post(`/executions/${parent.id}/kill`)).status).toBe(202);
    expect((await until(parent.id)).state).toBe("KILLED");
    const ended = await until(child.id);
    expect(ended.state).toBe("KILLED");
    expect(runsOf(ended)).toEqual(["wait#1:KILLED"]);
    await waitFor("the child's connection closed by its worker", () => held.get("sub_child")![0]!.closed);
  });

  it("kills a QUEUED execution at once, and refuses an ended one with 409 naming its state", async () => {
    await put("single", `concurrency: { limit: 1 }
tasks:
  - { id: wait, type: http.request, uri: "${webUrl}/hold/single" }
`);
    const first = await run("single");
    await until(first.id, running("wait"));
    const second = await run("single");
    expect(second.state).toBe("QUEUED");
    const k = await admin.post(`/executions/${second.id}/kill`);
    expect(k.status).toBe(202);
    expect(k.body.state).toBe("KILLED");
    expect(history(k.body)).toEqual([">CREATED", "CREATED>QUEUED", "QUEUED>KILLED"]);
    release("single");
    expect((await until(first.id)).state).toBe("SUCCESS");
    const ended = await admin.post(`/executions/${first.id}/kill`);
    expect(ended.status).toBe(409);
    expect(ended.body.detail).toMatch(/already ended in SUCCESS/);
    expect((await admin.post(`/executions/00000000-0000-4000-8000-000000000000/kill`)).status).toBe(404);
  });

  it("is refused to an executor (403 naming execution.kill), allowed to a developer", async () => {
    const executor = admin.as(await makeServiceAccount(admin, "ops-robot", "robots", [{ role: "executor", namespace: NS }]));
    const developer = admin.as(await makeServiceAccount(admin, "ops-dev", "devs", [{ role: "developer", namespace: NS }]));
    await put("guarded", `tasks:\n  - { id: wait, type: http.request, uri: "${webUrl}/hold/guarded" }\n`);
    const started = (await executor.post(`/executions/${NS}/guarded`, {})).body;
    await until(started.id, running("wait"));
    const refused = await executor.post(`/executions/${started.id}/kill`);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("execution.kill");
    expect((await developer.post(`/executions/${started.id}/kill`)).status).toBe(202);
    expect((await until(started.id)).state).toBe("KILLED");
  });
});

describe("POST /executions/{id}/restart", () => {
  it("runs only the failed task again, in the same execution on the same pinned revision; audited; 409 when not FAILED or KILLED", async () => {
    flakyUp = false;
    await put("flaky", `tasks:
  - { id: first, type: core.log, message: "revision one" }
  - { id: call, type: http.request, uri: "${webUrl}/flaky" }
  - { id: last, type: core.log, message: "after the call" }
`);
    const started = await run("flaky");
    const failed = await until(started.id);
    expect(failed.state).toBe("FAILED");
    expect(runsOf(failed)).toEqual(["call#1:FAILED", "first#1:SUCCESS"]);
    // A new revision meanwhile: the restart still runs revision 1.
    await put("flaky", `tasks:\n  - { id: other, type: core.log, message: "revision two" }\n`);
    flakyUp = true;
    const restarted = await admin.post(`/executions/${started.id}/restart`);
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(202);
    expect(restarted.body.id).toBe(started.id);
    const e = await until(started.id);
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
    expect(e.flowRevision).toBe(1);
    expect(runsOf(e)).toEqual(["call#1:FAILED", "call#2:SUCCESS", "first#1:SUCCESS", "last#1:SUCCESS"]);
    expect(history(e)).toEqual([">CREATED", "CREATED>RUNNING", "RUNNING>FAILED", "FAILED>RETRYING", "RETRYING>RUNNING", "RUNNING>SUCCESS"]);
    expect(e.error).toBeUndefined();
    const audit = await admin.get(`/audit?resourceType=execution&resourceId=${started.id}`);
    expect(audit.body.items.map((a: any) => a.action)).toContain("execution.restart");

    const again = await admin.post(`/executions/${started.id}/restart`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("ended in SUCCESS: only a FAILED or KILLED execution can be restarted");
  });

  it("restarts a KILLED execution: the killed branch runs again inside a new attempt of its parallel, the finished one is kept", async () => {
    await put("branches", `tasks:
  - id: par
    type: core.parallel
    tasks:
      - { id: quick, type: core.log, message: quick }
      - { id: slow, type: http.request, uri: "${webUrl}/hold/branches" }
  - { id: done, type: core.log, message: done }
`);
    const started = await run("branches");
    await until(started.id, (e) => running("par/slow")(e) && e.taskRuns.some((r: any) => r.path === "par/quick" && r.state === "SUCCESS"));
    expect((await admin.post(`/executions/${started.id}/kill`)).status).toBe(202);
    expect((await until(started.id)).state).toBe("KILLED");
    const still = await admin.post(`/executions/${started.id}/restart`);
    expect(still.status).toBe(202);
    const second = await until(started.id, running("par/slow"));
    expect(second.taskRuns.filter((r: any) => r.path === "par/slow").length).toBe(2);
    release("branches");
    const e = await until(started.id);
    expect(e.state).toBe("SUCCESS");
    expect(runsOf(e)).toEqual(["done#1:SUCCESS", "par#1:KILLED", "par#2:SUCCESS", "par/quick#1:SUCCESS", "par/slow#1:KILLED", "par/slow#2:SUCCESS"]);
  });

  it("refuses a running execution, saying to kill it first", async () => {
    await put("busy", `tasks:\n  - { id: wait, type: http.request, uri: "${webUrl}/hold/busy" }\n`);
    const started = await run("busy");
    await until(started.id, running("wait"));
    const r = await admin.post(`/executions/${started.id}/restart`);
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain("is still RUNNING");
    release("busy");
    await until(started.id);
  });
  it("a restart takes a concurrency slot like a start: QUEUED while the flow is at its limit (whatever the behavior), then its failed task runs again", async () => {
    flakyUp = false;
    await put("single", `concurrency: { limit: 1, behavior: FAIL }
inputs:
  - { id: target, type: STRING }
tasks:
  - { id: call, type: http.request, uri: "${webUrl}/{{ inputs.target }}" }
`);
    const first = await run("single", { inputs: { target: "flaky" } });
    expect((await until(first.id)).state).toBe("FAILED");
    const busy = await run("single", { inputs: { target: "hold/single" } });
    await until(busy.id, running("call"));
    flakyUp = true;
    expect((await admin.post(`/executions/${first.id}/restart`)).status).toBe(202);
    const waiting = await until(first.id, (e) => e.state === "QUEUED", 10_000);
    // No second attempt while it waits: the limit holds (and FAIL does not fail a restart).
    await new Promise((r) => setTimeout(r, 500));
    expect(runsOf(await until(first.id, () => true))).toEqual(["call#1:FAILED"]);
    expect(waiting.state).toBe("QUEUED");
    release("single");
    expect((await until(busy.id)).state).toBe("SUCCESS");
    const e = await until(first.id);
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
    expect(runsOf(e)).toEqual(["call#1:FAILED", "call#2:SUCCESS"]);
    expect(history(e)).toEqual([">CREATED", "CREATED>RUNNING", "RUNNING>FAILED", "FAILED>RETRYING", "RETRYING>QUEUED", "QUEUED>RUNNING", "RUNNING>SUCCESS"]);
    // The restart started after the end that freed the slot.
    const started = (await admin.get(`/executions/${first.id}`)).body.events.filter((ev: any) => !ev.taskRunId && ev.to === "RUNNING").pop().at;
    expect(Date.parse(started)).toBeGreaterThanOrEqual(Date.parse((await until(busy.id)).endedAt));
  });
});

describe("retry of a core.parallel / core.foreach", () => {
  it("runs the failed branch again in a new attempt of the parallel (after its backoff), the finished one kept, until it succeeds", async () => {
    await put("retried-parallel", `tasks:
  - id: par
    type: core.parallel
    retry: { type: constant, interval: PT0.2S, maxAttempts: 3 }
    tasks:
      - { id: ok, type: core.log, message: fine }
      - { id: call, type: http.request, uri: "${webUrl}/failing/par/2" }
  - { id: after, type: core.log, message: after }
`);
    const e = await until((await run("retried-parallel")).id);
    expect(e.state).toBe("SUCCESS");
    expect(failingCalls.get("par")).toBe(3);
    expect(runsOf(e)).toEqual(["after#1:SUCCESS", "par#1:FAILED", "par#2:FAILED", "par#3:SUCCESS", "par/call#1:FAILED", "par/call#2:FAILED", "par/call#3:SUCCESS", "par/ok#1:SUCCESS"]);
    const byAttempt = (attempt: number) => e.taskRuns.find((r: any) => r.path === "par/call" && r.attempt === attempt);
    // The backoff is honoured: attempt 2 of the branch started no sooner than 0.2 s after attempt 1 ended.
    expect(Date.parse(byAttempt(2).startedAt) - Date.parse(byAttempt(1).endedAt)).toBeGreaterThanOrEqual(190);
  });

  it("fails the execution once a foreach is out of attempts, naming the failed value's task; only failed values ran again", async () => {
    await put("retried-foreach", `tasks:
  - id: each
    type: core.foreach
    values: ["0", "5"]
    retry: { type: constant, interval: PT0.1S, maxAttempts: 2 }
    tasks:
      - { id: call, type: http.request, uri: "${webUrl}/failing/each-{{ taskrun.value }}/{{ taskrun.value }}" }
`);
    const e = await until((await run("retried-foreach")).id);
    expect(e.state).toBe("FAILED");
    expect(e.error).toMatch(/task each\/1\/call failed after 2 attempts: .*503/);
    expect([failingCalls.get("each-0"), failingCalls.get("each-5")]).toEqual([1, 2]);
    expect(runsOf(e)).toEqual(["each#1:FAILED", "each#2:FAILED", "each/0/call#1:SUCCESS", "each/1/call#1:FAILED", "each/1/call#2:FAILED"]);
  });
});

describe("flow timeout", () => {
  it("ends an execution still running after its flow's timeout FAILED, its running task aborted", async () => {
    await put("slowpoke", `timeout: PT1S
tasks:
  - { id: wait, type: http.request, uri: "${webUrl}/hold/slowpoke" }
  - { id: never, type: core.log, message: never }
`);
    const started = await run("slowpoke");
    const e = await until(started.id);
    expect(e.state).toBe("FAILED");
    expect(e.error).toContain("timed out after PT1S");
    expect(runsOf(e)).toEqual(["wait#1:KILLED"]);
    expect(history(e)).toEqual([">CREATED", "CREATED>RUNNING", "RUNNING>KILLING", "KILLING>FAILED"]);
    await waitFor("the timed-out request's connection closed", () => held.get("slowpoke")?.[0]?.closed === true);
  });
});

/** A real streaming client: reads the SSE body as it arrives, parsed into events and comments. */
async function openFollow(id: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.api}/executions/${id}/follow`, { headers: { authorization: `Bearer ${server.adminKey}`, ...headers } });
  const events: { id: string; event: string; data: any }[] = [];
  const comments: string[] = [];
  let closed = false;
  const done = (async () => {
    if (!res.body || res.status !== 200) return;
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let at: number;
      while ((at = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (block.startsWith(":")) comments.push(block.slice(1).trim());
        else {
          const field = (name: string) => block.split("\n").find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
          events.push({ id: field("id"), event: field("event"), data: JSON.parse(field("data")) });
        }
      }
    }
    closed = true;
  })();
  return { res, events, comments, done, isClosed: () => closed };
}

describe("GET /executions/{id}/follow", () => {
  it("streams state, task-run and log events until the end, with heartbeats; Last-Event-ID resumes after an event", async () => {
    await put("followed", `tasks:
  - { id: hello, type: core.log, message: "hello follower" }
  - { id: wait, type: http.request, uri: "${webUrl}/hold/followed" }
  - { id: bye, type: core.log, message: "bye follower" }
`);
    const started = await run("followed");
    const stream = await openFollow(started.id);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get("content-type")).toContain("text/event-stream");
    await waitFor("the hello log", () => stream.events.some((e) => e.event === "log" && e.data.message === "hello follower"));
    await waitFor("a heartbeat comment", () => stream.comments.includes("heartbeat"));
    expect(stream.isClosed()).toBe(false);
    release("followed");
    await stream.done;
    expect(stream.isClosed()).toBe(true);
    const names = stream.events.map((e) => e.event);
    expect(names[names.length - 1]).toBe("end");
    expect(stream.events[stream.events.length - 1]!.data).toEqual({ state: "SUCCESS" });
    expect(stream.events.filter((e) => e.event === "state").map((e) => e.data.state)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
    expect(stream.events.filter((e) => e.event === "log").map((e) => e.data.message)).toEqual(["hello follower", expect.stringContaining("→ 200"), "bye follower"]);
    const wait = stream.events.filter((e) => e.event === "taskRun" && e.data.path === "wait").map((e) => e.data.state);
    expect(wait).toEqual(["CREATED", "RUNNING", "SUCCESS"]);

    // Resume after the hello log: only what came after it.
    const helloAt = stream.events.findIndex((e) => e.event === "log" && e.data.message === "hello follower");
    const resumed = await openFollow(started.id, { "last-event-id": stream.events[helloAt]!.id });
    await resumed.done;
    expect(resumed.events.map((e) => `${e.event}:${JSON.stringify(e.data)}`)).toEqual(
      stream.events.slice(helloAt + 1).map((e) => `${e.event}:${JSON.stringify(e.data)}`),
    );

    const bad = await admin.call("GET", `/executions/${started.id}/follow`, undefined, { "last-event-id": "yesterday" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("Last-Event-ID");
  });

  it("serves at most MESHPLANE_FOLLOW_MAX_STREAMS streams per process: one more is a 503 with Retry-After", async () => {
    await put("crowded", `tasks:\n  - { id: wait, type: http.request, uri: "${webUrl}/hold/crowded" }\n`);
    const started = await run("crowded");
    const streams = [await openFollow(started.id), await openFollow(started.id), await openFollow(started.id)];
    for (const s of streams) expect(s.res.status).toBe(200);
    const refused = await admin.get(`/executions/${started.id}/follow`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(refused.body.detail).toContain("MESHPLANE_FOLLOW_MAX_STREAMS");
    release("crowded");
    await Promise.all(streams.map((s) => s.done));
    // The slots are given back when the streams end.
    const after = await openFollow(started.id);
    expect(after.res.status).toBe(200);
    await after.done;
  });
});

describe("GET /executions filters", () => {
  it("filters by label (repeatable, all must match), state, since and until", async () => {
    await put("labelled", `tasks:\n  - { id: t, type: core.log, message: hi }\n`);
    const before = new Date(Date.now() - 1000).toISOString();
    const a = await run("labelled", { labels: { team: "ops", tier: "gold" } });
    const b = await run("labelled", { labels: { team: "ops", tier: "silver" } });
    await until(a.id);
    await until(b.id);
    const list = async (q: string) => {
      const r = await admin.get(`/executions?namespace=${NS}&flowId=labelled&${q}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((e: any) => e.id).sort();
    };
    expect(await list("label=team:ops")).toEqual([a.id, b.id].sort());
    expect(await list("label=team:ops&label=tier:gold")).toEqual([a.id]);
    expect(await list("label=tier:bronze")).toEqual([]);
    expect(await list("state=SUCCESS&label=tier:silver")).toEqual([b.id]);
    expect(await list(`since=${encodeURIComponent(before)}`)).toEqual([a.id, b.id].sort());
    expect(await list(`until=${encodeURIComponent(before)}`)).toEqual([]);
    const badLabel = await admin.get(`/executions?namespace=${NS}&label=nocolon`);
    expect(badLabel.status).toBe(400);
    expect(badLabel.body.detail).toContain("key:value");
    const badTime = await admin.get(`/executions?namespace=${NS}&since=yesterday`);
    expect(badTime.status).toBe(400);
    expect(badTime.body.detail).toContain("since");
  });
});
