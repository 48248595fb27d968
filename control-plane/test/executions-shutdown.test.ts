/**
 * SIGTERM drains the workers (SPEC §9): a task run in progress is allowed to finish within
 * the grace period and its result is recorded before the pools close, so after a restart
 * the execution goes on from there; nothing is run twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

let web: Server;
let webUrl: string;
const held: (() => void)[] = [];
const dataDir = mkdtempSync(join(tmpdir(), "meshplane-drain-"));
const servers: TestServer[] = [];

beforeAll(async () => {
  web = createServer((req, res) => {
    if (req.url === "/hold") held.push(() => res.end("done"));
    else res.end("ok");
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  held.forEach((release) => release());
  await new Promise((r) => web?.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(admin: ApiClient, id: string, done: (e: any) => boolean, ms = 45_000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const a = await admin.get(`/executions/${id}`);
    if (a.status === 200 && done(a.body)) return a.body;
    if (Date.now() > deadline) throw new Error(`execution ${id}: ${JSON.stringify(a.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("lets a running task run finish on SIGTERM, records it, and the execution goes on after a restart without running it again", async () => {
  const first = await startServer({ dataDir, keepDataDir: true });
  servers.push(first);
  const admin = new ApiClient(first.api, first.adminKey);
  expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
  const source = `id: slow
namespace: retail.sales
tasks:
  - { id: wait, type: http.request, uri: "${webUrl}/hold" }
  - { id: after, type: core.log, message: after the restart }
`;
  expect((await admin.put("/flows/retail.sales/slow", source)).status).toBe(201);
  const { id } = (await admin.post("/executions/retail.sales/slow", {})).body;
  await until(admin, id, (e) => e.taskRuns.some((r: any) => r.path === "wait" && r.state === "RUNNING"));
  await new Promise((r) => setTimeout(r, 300)); // the request reaches the web server
  expect(held).toHaveLength(1);

  const exited = new Promise<number | null>((resolve) => first.process.once("exit", (code) => resolve(code)));
  const signalled = Date.now();
  first.process.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1_000));
  expect(first.process.exitCode, "still draining while its task runs").toBeNull();
  held.splice(0).forEach((release) => release());
  expect(await exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(10_000);

  const second = await startServer({ dataDir, keepDataDir: true });
  servers.push(second);
  const again = new ApiClient(second.api, second.adminKey);
  const e = await until(again, id, (x) => ["SUCCESS", "FAILED"].includes(x.state));
  expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
  const wait = e.taskRuns.find((r: any) => r.path === "wait");
  expect(wait).toMatchObject({ attempt: 1, state: "SUCCESS", outputs: { status: 200, body: "done" } });
  // Recorded once, never resubmitted: CREATED → RUNNING → SUCCESS and nothing else.
  expect(e.events.filter((ev: any) => ev.taskRunId === wait.id).map((ev: any) => ev.to)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
  expect(e.taskRuns.map((r: any) => r.path)).toEqual(["wait", "after"]);
  expect(held).toHaveLength(0);
});
