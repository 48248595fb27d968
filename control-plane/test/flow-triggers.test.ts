/**
 * Flow triggers and core.subflow (SPEC §9, §3 (3); issue 11 items 4 and 6) on a real
 * `meshplane serve` and its embedded PostgreSQL, over HTTP: a cross-team trigger fires
 * with the producer's grant and not without it (audited `trigger.denied`, shown on the
 * upstream execution); the same for a subflow; several upstreams within a window; a
 * FAILED upstream with `states: [FAILED]`; a disabled downstream never fires.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { TERMINAL, untilExecution } from "./support/executions.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;
const SALES = "retail.sales";
const SUPPLY = "retail.supply";

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  for (const team of ["sales", "supply"]) expect((await admin.post("/teams", { name: team })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: SALES, ownerTeam: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: SUPPLY, ownerTeam: "supply" })).status).toBe(201);
});
afterAll(async () => {
  await server?.stop();
});

async function put(ns: string, id: string, body: string): Promise<void> {
  const a = await admin.put(`/flows/${ns}/${id}`, `id: ${id}\nnamespace: ${ns}\n${body}`);
  expect([200, 201], JSON.stringify(a.body)).toContain(a.status);
}

/** `upstreamFlow` undefined: every flow of retail.sales. */
async function grant(kind: "trigger" | "subflow", upstreamFlow: string | undefined): Promise<string> {
  const g = await admin.post("/trigger-grants", { upstreamNamespace: SALES, ...(upstreamFlow ? { upstreamFlow } : {}), downstreamNamespace: SUPPLY, kinds: [kind] });
  expect(g.status, JSON.stringify(g.body)).toBe(201);
  return g.body.id;
}

const until = (id: string, done?: (e: any) => boolean, ms = 45_000): Promise<any> => untilExecution(admin, id, done, ms);

/** Runs a flow and waits until it ended and its end was handled for `downstreams` flow triggers. */
async function runUpstream(ns: string, flowId: string, downstreams = 1): Promise<any> {
  const a = await admin.post(`/executions/${ns}/${flowId}`, {});
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return until(a.body.id, (e) => TERMINAL.includes(e.state) && e.downstream.length >= downstreams);
}

async function executionsOf(ns: string, flowId: string): Promise<any[]> {
  const a = await admin.get(`/executions?namespace=${ns}&flowId=${flowId}&limit=100`);
  expect(a.status).toBe(200);
  return a.body.items;
}

describe("a cross-team flow trigger", () => {
  it("fires with the producer's trigger grant: the downstream execution records its upstream, the upstream shows it", async () => {
    await put(SALES, "orders", "tasks:\n  - { id: log, type: core.log, message: orders }\n");
    const grantId = await grant("trigger", "orders");
    await put(SUPPLY, "replenish", `tasks:\n  - { id: log, type: core.log, message: "after {{ trigger.upstream[0].executionId }}" }\ntriggers:\n  - id: after_orders\n    type: flow\n    upstream:\n      - { namespace: ${SALES}, flowId: orders }\n`);

    const up = await runUpstream(SALES, "orders");
    expect(up.state).toBe("SUCCESS");
    expect(up.downstream).toHaveLength(1);
    expect(up.downstream[0]).toMatchObject({ namespace: SUPPLY, flowId: "replenish", triggerId: "after_orders" });
    expect(up.downstream[0].refused).toBeUndefined();
    const down = await until(up.downstream[0].executionId);
    expect(down.state, JSON.stringify(down)).toBe("SUCCESS");
    expect(down.trigger).toEqual({ type: "flow", triggerId: "after_orders", upstream: [{ executionId: up.id, namespace: SALES, flowId: "orders", state: "SUCCESS" }] });
    const audit = await admin.get(`/audit?resourceType=execution&resourceId=${down.id}`);
    expect(audit.body.items[0]).toMatchObject({ action: "execution.create", subject: "system:flow-trigger", subjectKind: "system" });

    // Revoked: the next end starts nothing, and says why (audited, on the upstream execution, in its logs).
    expect((await admin.delete(`/trigger-grants/${grantId}`)).status).toBe(204);
    const before = (await executionsOf(SUPPLY, "replenish")).length;
    const refused = await runUpstream(SALES, "orders");
    expect(refused.downstream).toHaveLength(1);
    expect(refused.downstream[0].executionId).toBeUndefined();
    expect(refused.downstream[0].refused).toContain("no trigger grant lets retail.supply listen to retail.sales");
    expect(refused.downstream[0].refused).toContain("a maintainer of retail.sales (team sales) can create it");
    expect((await executionsOf(SUPPLY, "replenish")).length).toBe(before);
    const denied = await admin.get(`/audit?resourceType=flow&resourceId=${SUPPLY}/replenish`);
    const event = denied.body.items.find((e: any) => e.action === "trigger.denied");
    expect(event, JSON.stringify(denied.body.items)).toMatchObject({
      subject: "system:flow-trigger",
      subjectKind: "system",
      namespace: SUPPLY,
      after: {
        kind: "trigger",
        upstream: { namespace: SALES, flowId: "orders", executionId: refused.id },
        downstream: { namespace: SUPPLY, flowId: "replenish", triggerId: "after_orders" },
        missingGrant: { upstreamNamespace: SALES, upstreamFlow: "orders", downstreamNamespace: SUPPLY, kinds: ["trigger"] },
      },
    });
    expect(event.after.canCreate).toContain("a maintainer of retail.sales (owner team sales");
    const warn = await admin.get(`/executions/${refused.id}/logs?level=WARN`);
    expect(warn.body.items.map((l: any) => l.message).join("\n")).toContain("flow trigger after_orders of retail.supply/replenish did not start it: refused at run time");
  });

  it("a disabled or deleted downstream flow, or a disabled trigger, never fires (its enabled sibling does)", async () => {
    await put(SALES, "stock", "tasks:\n  - { id: log, type: core.log, message: stock }\n");
    const trigger = `triggers:\n  - { id: after_stock, type: flow, upstream: [{ namespace: ${SALES}, flowId: stock }] }\n`;
    await put(SALES, "on_stock", `tasks:\n  - { id: log, type: core.log, message: on }\n${trigger}`);
    await put(SALES, "off_stock", `disabled: true\ntasks:\n  - { id: log, type: core.log, message: off }\n${trigger}`);
    await put(SALES, "gone_stock", `tasks:\n  - { id: log, type: core.log, message: gone }\n${trigger}`);
    await put(SALES, "paused_stock", `tasks:\n  - { id: log, type: core.log, message: paused }\n${trigger.replace("type: flow,", "type: flow, disabled: true,")}`);
    expect((await admin.delete(`/flows/${SALES}/gone_stock`)).status).toBe(204);
    const up = await runUpstream(SALES, "stock");
    expect(up.downstream.map((d: any) => d.flowId)).toEqual(["on_stock"]);
    expect(await executionsOf(SALES, "off_stock")).toEqual([]);
    expect(await executionsOf(SALES, "gone_stock")).toEqual([]);
    expect(await executionsOf(SALES, "paused_stock")).toEqual([]);
    expect(await executionsOf(SALES, "on_stock")).toHaveLength(1);
  });

  it("with states [FAILED] fires when the upstream fails; a [SUCCESS] trigger on it does not", async () => {
    await put(SALES, "fragile", "tasks:\n  - { id: m, type: notify.email, to: [a@b.co], subject: s }\n");
    await put(SALES, "on_failure", `tasks:\n  - { id: log, type: core.log, message: alert }\ntriggers:\n  - { id: failed, type: flow, states: [FAILED], upstream: [{ namespace: ${SALES}, flowId: fragile }] }\n`);
    await put(SALES, "on_success", `tasks:\n  - { id: log, type: core.log, message: fine }\ntriggers:\n  - { id: ok, type: flow, upstream: [{ namespace: ${SALES}, flowId: fragile }] }\n`);
    const up = await runUpstream(SALES, "fragile");
    expect(up.state).toBe("FAILED");
    expect(up.downstream.map((d: any) => [d.flowId, d.triggerId])).toEqual([["on_failure", "failed"]]);
    const down = await until(up.downstream[0].executionId);
    expect(down.trigger.upstream).toEqual([{ executionId: up.id, namespace: SALES, flowId: "fragile", state: "FAILED" }]);
    expect(await executionsOf(SALES, "on_success")).toEqual([]);
  });
});

describe("a flow trigger with several upstreams", () => {
  it("fires once both ended within the window, then resets; an end outside the window does not fire", async () => {
    for (const id of ["left", "right"]) await put(SALES, id, `tasks:\n  - { id: log, type: core.log, message: ${id} }\n`);
    await put(SALES, "both", `tasks:\n  - { id: log, type: core.log, message: both }\ntriggers:\n  - id: joined\n    type: flow\n    window: PT4S\n    upstream:\n      - { namespace: ${SALES}, flowId: left }\n      - { namespace: ${SALES}, flowId: right }\n`);
    const left = await runUpstream(SALES, "left");
    expect(left.downstream).toEqual([{ namespace: SALES, flowId: "both", triggerId: "joined", waiting: true }]);
    expect(await executionsOf(SALES, "both")).toEqual([]);
    const right = await runUpstream(SALES, "right");
    expect(right.downstream[0].executionId).toBeDefined();
    const fired = await until(right.downstream[0].executionId);
    expect(fired.trigger.upstream.map((u: any) => [u.flowId, u.executionId]).sort()).toEqual([["left", left.id], ["right", right.id]]);
    // The left end was consumed by that firing too.
    expect((await admin.get(`/executions/${left.id}`)).body.downstream[0]).toEqual({ namespace: SALES, flowId: "both", triggerId: "joined", executionId: fired.id });

    // Reset: one more right end alone does not fire.
    const again = await runUpstream(SALES, "right");
    expect(again.downstream[0].waiting).toBe(true);
    // Past the window, a left end does not pair with it.
    await new Promise((r) => setTimeout(r, 4_500));
    const late = await runUpstream(SALES, "left");
    expect(late.downstream[0].waiting).toBe(true);
    expect(await executionsOf(SALES, "both")).toHaveLength(1);
  });
});

describe("core.subflow", () => {
  it("across teams runs the child with the subflow grant (waiting for it), fails naming the grant without it", async () => {
    await put(SALES, "child", `inputs:\n  - { id: day, type: DATE }\ntasks:\n  - { id: log, type: core.log, message: "child {{ inputs.day }}" }\n`);
    await put(SALES, "broken_child", "tasks:\n  - { id: m, type: notify.email, to: [a@b.co], subject: s }\n");
    const grantId = await grant("subflow", undefined);
    await put(SUPPLY, "parent", `inputs:\n  - { id: day, type: DATE }\ntasks:
  - id: call
    type: core.subflow
    namespace: ${SALES}
    flowId: child
    inputs: { day: "{{ inputs.day }}" }
  - { id: after, type: core.log, message: "child was {{ outputs.call.executionId }} {{ outputs.call.state }}" }
`);
    const started = await admin.post(`/executions/${SUPPLY}/parent`, { inputs: { day: "2026-12-03" } });
    expect(started.status).toBe(201);
    const parent = await until(started.body.id);
    expect(parent.state, JSON.stringify(parent)).toBe("SUCCESS");
    const call = parent.taskRuns.find((r: any) => r.path === "call");
    expect(call).toMatchObject({ state: "SUCCESS", outputs: { state: "SUCCESS" } });
    const child = await until(call.outputs.executionId);
    expect(child).toMatchObject({ state: "SUCCESS", namespace: SALES, flowId: "child", parentExecutionId: parent.id, trigger: { type: "subflow" }, inputs: { day: "2026-12-03" } });
    // The call's task run ended after the child did: it waited for it.
    expect(Date.parse(call.endedAt)).toBeGreaterThanOrEqual(Date.parse(child.endedAt));
    const logs = await admin.get(`/executions/${parent.id}/logs`);
    expect(logs.body.items.map((l: any) => l.message)).toContain(`child was ${child.id} SUCCESS`);

    // A child that fails fails the task, naming it; wait: false ends once the child is created.
    await put(SUPPLY, "parent_of_broken", `tasks:\n  - { id: call, type: core.subflow, namespace: ${SALES}, flowId: broken_child }\n`);
    const broken = await until((await admin.post(`/executions/${SUPPLY}/parent_of_broken`, {})).body.id);
    expect(broken.state).toBe("FAILED");
    const brokenCall = broken.taskRuns.find((r: any) => r.path === "call");
    expect(brokenCall.error).toMatch(new RegExp(`subflow execution ${brokenCall.outputs.executionId} \\(retail.sales/broken_child\\) ended FAILED`));
    await put(SUPPLY, "fire_and_forget", `tasks:\n  - { id: call, type: core.subflow, namespace: ${SALES}, flowId: child, wait: false, inputs: { day: "2026-12-04" } }\n`);
    const ff = await until((await admin.post(`/executions/${SUPPLY}/fire_and_forget`, {})).body.id);
    expect(ff.state).toBe("SUCCESS");
    expect(ff.taskRuns[0].outputs).toMatchObject({ state: "CREATED" });
    expect((await until(ff.taskRuns[0].outputs.executionId)).parentExecutionId).toBe(ff.id);
    // Inputs that do not fit the child's: the task fails naming the input, no child.
    await put(SUPPLY, "parent_wrong", `tasks:\n  - { id: call, type: core.subflow, namespace: ${SALES}, flowId: child, inputs: { day: someday } }\n`);
    const wrong = await until((await admin.post(`/executions/${SUPPLY}/parent_wrong`, {})).body.id);
    expect(wrong.state).toBe("FAILED");
    expect(wrong.taskRuns[0].error).toContain("the inputs do not fit subflow retail.sales/child");

    // Revoked: the call fails naming the grant and who can create it; audited.
    expect((await admin.delete(`/trigger-grants/${grantId}`)).status).toBe(204);
    const childrenBefore = (await executionsOf(SALES, "child")).length;
    const denied = await until((await admin.post(`/executions/${SUPPLY}/parent`, { inputs: { day: "2026-12-05" } })).body.id);
    expect(denied.state).toBe("FAILED");
    const deniedCall = denied.taskRuns.find((r: any) => r.path === "call");
    expect(deniedCall.error).toContain("no subflow grant lets retail.supply call retail.sales");
    expect(deniedCall.error).toContain("a maintainer of retail.sales (team sales) can create it");
    expect((await executionsOf(SALES, "child")).length).toBe(childrenBefore);
    const audit = await admin.get(`/audit?resourceType=flow&resourceId=${SUPPLY}/parent`);
    expect(audit.body.items.find((e: any) => e.action === "trigger.denied"), JSON.stringify(audit.body.items)).toMatchObject({
      subject: "system:subflow",
      subjectKind: "system",
      after: { kind: "subflow", downstream: { executionId: denied.id, taskRunId: deniedCall.id }, missingGrant: { upstreamNamespace: SALES, upstreamFlow: "child", kinds: ["subflow"] } },
    });
  });
});
