/**
 * Schedules end to end: a real `meshplane serve` (API, scheduler, executor, workers in
 * one process) on its embedded PostgreSQL. A flow scheduled every second gets one
 * execution per second that runs to SUCCESS, with `{{ trigger.date }}` rendering its
 * slot; disabling the flow stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;
const NS = "retail.clock";

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  expect((await admin.post("/teams", { name: "clock" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: NS, ownerTeam: "clock" })).status).toBe(201);
});
afterAll(async () => {
  await server?.stop();
});

const source = (disabled: boolean) => `id: ticker
namespace: ${NS}
disabled: ${disabled}
tasks:
  - { id: say, type: core.log, message: "slot {{ trigger.date }}" }
triggers:
  - { id: every-second, type: schedule, cron: "*/1 * * * * *" }
`;

async function executions(): Promise<any[]> {
  const a = await admin.get(`/executions?namespace=${NS}&flowId=ticker&limit=100`);
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body.items;
}

describe("a schedule every second", () => {
  it("produces one execution per slot that runs to SUCCESS, logging its slot, and stops when the flow is disabled", async () => {
    expect((await admin.put(`/flows/${NS}/ticker`, source(false))).status).toBe(201);
    const deadline = Date.now() + 30_000;
    let done: any[] = [];
    while (Date.now() < deadline) {
      done = (await executions()).filter((e) => e.state === "SUCCESS");
      if (done.length >= 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(done.length, server.logs()).toBeGreaterThanOrEqual(3);
    const slots = done.map((e) => e.trigger.scheduledFor as string);
    expect(new Set(slots).size).toBe(slots.length);
    for (const e of done) {
      expect(e.trigger).toEqual({ type: "schedule", triggerId: "every-second", scheduledFor: e.trigger.scheduledFor });
      expect(e.trigger.scheduledFor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      const logs = (await admin.get(`/executions/${e.id}/logs`)).body.items.map((l: any) => l.message);
      expect(logs).toContain(`slot ${e.trigger.scheduledFor}`);
    }
    const audit = await admin.get(`/audit?resourceType=execution&resourceId=${done[0].id}`);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: "execution.create", subject: "system:scheduler", subjectKind: "system" })]);

    expect((await admin.put(`/flows/${NS}/ticker`, source(true))).status).toBe(200);
    // What was due before the write may still be created; after that, nothing.
    await new Promise((r) => setTimeout(r, 1_500));
    const before = (await executions()).length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await executions()).length).toBe(before);
  });
});
