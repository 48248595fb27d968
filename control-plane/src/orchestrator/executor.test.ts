import { describe, expect, it } from "vitest";
import { parseFlowSource } from "../flows/flow-parser.ts";
import type { FlowDocument } from "../flows/flow-schema.ts";
import type { TaskRunRow } from "../repositories/execution-repository.ts";
import { backoffMs, decide } from "./executor.ts";

const execution = { id: "e1", namespace: "a", flowId: "f", flowRevision: 1, state: "RUNNING" as const, inputs: {}, labels: {}, trigger: { type: "api" as const } };

function flow(tasks: string): FlowDocument {
  const parsed = parseFlowSource(`id: f\nnamespace: a\ntasks:\n${tasks}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.document;
}

let n = 0;
function row(path: string, state: TaskRunRow["state"], extra: Partial<TaskRunRow> = {}): TaskRunRow {
  return { id: `r${++n}`, taskId: path.split("/").pop()!, path, value: null, attempt: 1, flowable: false, state, outputs: {}, error: null, createdAt: "", startedAt: null, endedAt: null, ...extra };
}

const PARALLEL = flow(`  - id: par
    type: core.parallel
    concurrency: 2
    tasks:
      - { id: a, type: core.log, message: a }
      - { id: b, type: core.log, message: b }
      - { id: c, type: core.log, message: c }
  - { id: last, type: core.log, message: last }
`);

describe("the executor's decision", () => {
  it("starts an execution with its first task, and at most `concurrency` parallel branches", () => {
    const first = decide({ ...execution, state: "CREATED" }, PARALLEL, []);
    expect(first.start).toBe(true);
    expect(first.insert.map((r) => [r.path, r.state, r.flowable])).toEqual([["par", "RUNNING", true], ["par/a", "CREATED", false], ["par/b", "CREATED", false]]);
    expect(first.end).toBeUndefined();
  });

  it("starts the next branch when one ends, and the next task when all have", () => {
    const par = row("par", "RUNNING", { flowable: true });
    const next = decide(execution, PARALLEL, [par, row("par/a", "SUCCESS"), row("par/b", "RUNNING")]);
    expect(next.insert.map((r) => r.path)).toEqual(["par/c"]);
    const done = decide(execution, PARALLEL, [par, row("par/a", "SUCCESS"), row("par/b", "SUCCESS"), row("par/c", "SUCCESS")]);
    expect(done.endFlowables).toEqual([{ id: par.id, state: "SUCCESS", error: null }]);
    expect(done.insert.map((r) => r.path)).toEqual(["last"]);
    const end = decide(execution, PARALLEL, [{ ...par, state: "SUCCESS" }, row("par/a", "SUCCESS"), row("par/b", "SUCCESS"), row("par/c", "SUCCESS"), row("last", "SUCCESS")]);
    expect(end.end).toEqual({ state: "SUCCESS", error: null });
  });

  it("after a branch fails starts no new branch, lets the running one finish, then fails the parallel and the execution", () => {
    const par = row("par", "RUNNING", { flowable: true });
    const waiting = decide(execution, PARALLEL, [par, row("par/a", "FAILED", { error: "boom" }), row("par/b", "RUNNING")]);
    expect(waiting.insert).toEqual([]);
    expect(waiting.end).toBeUndefined();
    const failed = decide(execution, PARALLEL, [par, row("par/a", "FAILED", { error: "boom" }), row("par/b", "SUCCESS")]);
    expect(failed.insert).toEqual([]);
    expect(failed.endFlowables).toEqual([{ id: par.id, state: "FAILED", error: "task par/a failed: boom" }]);
    expect(failed.end).toEqual({ state: "FAILED", error: "task par/a failed: boom" });
  });

  it("runs a foreach's tasks in order within a value, values up to `concurrency`", () => {
    const doc = flow(`  - id: each
    type: core.foreach
    values: '["x", "y", "z"]'
    concurrency: 2
    tasks:
      - { id: one, type: core.log, message: "{{ taskrun.value }}" }
      - { id: two, type: core.log, message: two }
`);
    const first = decide(execution, doc, []);
    expect(first.insert.map((r) => [r.path, r.value])).toEqual([["each", null], ["each/0/one", "x"], ["each/1/one", "y"]]);
    expect(first.insert[0]!.outputs).toEqual({ values: ["x", "y", "z"] });
    const each = row("each", "RUNNING", { flowable: true, outputs: { values: ["x", "y", "z"] } });
    const next = decide(execution, doc, [each, row("each/0/one", "SUCCESS"), row("each/1/one", "RUNNING")]);
    expect(next.insert.map((r) => [r.path, r.value])).toEqual([["each/0/two", "x"]]);
  });

  it("retries a failed runnable task with its backoff until maxAttempts, then fails", () => {
    const doc = flow(`  - { id: t, type: core.log, message: m, retry: { type: exponential, interval: PT1S, maxAttempts: 3, maxInterval: PT1.5S } }\n`);
    const retry = decide(execution, doc, [row("t", "FAILED", { error: "e" })]);
    expect(retry.insert.map((r) => [r.path, r.attempt, r.state, r.delayMs])).toEqual([["t", 2, "RETRYING", 1000]]);
    expect(decide(execution, doc, [row("t", "FAILED"), row("t", "FAILED", { attempt: 2 })]).insert[0]).toMatchObject({ attempt: 3, delayMs: 1500 });
    expect(decide(execution, doc, [row("t", "FAILED"), row("t", "FAILED", { attempt: 2 }), row("t", "FAILED", { attempt: 3, error: "e3" })]).end).toEqual({ state: "FAILED", error: "task t failed after 3 attempts: e3" });
    expect(backoffMs({ type: "constant", interval: "PT2S", maxAttempts: 2 }, 5)).toBe(2000);
  });

  it("fails a foreach whose values do not resolve to a list, naming the problem", () => {
    const doc = flow(`  - { id: each, type: core.foreach, values: "{{ inputs.missing }}", tasks: [{ id: t, type: core.log, message: m }] }\n`);
    const d = decide(execution, doc, []);
    expect(d.insert.map((r) => [r.path, r.state])).toEqual([["each", "FAILED"]]);
    expect(d.end?.state).toBe("FAILED");
    expect(d.end?.error).toContain("undefined variable: inputs.missing");
  });
  it("retries a failed parallel: its next attempt, and the failed branch again after the backoff; what succeeded is kept", () => {
    const doc = flow(`  - id: par
    type: core.parallel
    retry: { type: constant, interval: PT2S, maxAttempts: 2 }
    tasks:
      - { id: a, type: core.log, message: a }
      - { id: b, type: core.log, message: b, retry: { type: constant, interval: PT1S, maxAttempts: 2 } }
  - { id: last, type: core.log, message: last }
`);
    const par = row("par", "RUNNING", { flowable: true });
    const a = row("par/a", "SUCCESS");
    const b = [row("par/b", "FAILED", { error: "e1" }), row("par/b", "FAILED", { attempt: 2, error: "e2" })];
    const retried = decide(execution, doc, [par, a, ...b]);
    expect(retried.endFlowables).toEqual([{ id: par.id, state: "FAILED", error: "task par/b failed after 2 attempts: e2" }]);
    expect(retried.insert.map((r) => [r.path, r.attempt, r.state, r.delayMs])).toEqual([["par", 2, "RUNNING", undefined], ["par/b", 3, "RETRYING", 2000]]);
    expect(retried.end).toBeUndefined();
    // Deciding again with those rows inserts nothing more; the second attempt ends with its branch.
    const par2 = row("par", "RUNNING", { flowable: true, attempt: 2 });
    expect(decide(execution, doc, [{ ...par, state: "FAILED" }, a, ...b, par2, row("par/b", "RETRYING", { attempt: 3 })]).insert).toEqual([]);
    const done = decide(execution, doc, [{ ...par, state: "FAILED" }, a, ...b, par2, row("par/b", "SUCCESS", { attempt: 3 })]);
    expect(done.endFlowables).toEqual([{ id: par2.id, state: "SUCCESS", error: null }]);
    expect(done.insert.map((r) => r.path)).toEqual(["last"]);
    // Out of attempts: the execution fails.
    const out = decide(execution, doc, [{ ...par, state: "FAILED" }, a, ...b, par2, row("par/b", "FAILED", { attempt: 3, error: "e3" })]);
    expect(out.insert).toEqual([]);
    expect(out.end).toEqual({ state: "FAILED", error: "task par/b failed after 3 attempts: e3" });
  });

  it("retries a failed foreach with the values it resolved: only the failed values run again, a killed one too", () => {
    const doc = flow(`  - id: each
    type: core.foreach
    values: '["x", "y", "z"]'
    retry: { type: exponential, interval: PT1S, maxAttempts: 3 }
    tasks:
      - { id: one, type: core.log, message: "{{ taskrun.value }}" }
`);
    const values = { values: ["x", "y", "z"] };
    const each = row("each", "FAILED", { flowable: true, outputs: values, error: "task each/1/one failed: e" });
    const runs = [each, row("each/0/one", "SUCCESS", { value: "x" }), row("each/1/one", "FAILED", { value: "y" }), row("each/2/one", "KILLED", { value: "z" })];
    const d = decide(execution, doc, runs);
    expect(d.insert.map((r) => [r.path, r.attempt, r.value, r.delayMs, r.outputs])).toEqual([
      ["each", 2, null, undefined, values], ["each/1/one", 2, "y", 1000, undefined], ["each/2/one", 2, "z", 1000, undefined],
    ]);
    // A foreach whose values never rendered is not retried: it would fail the same way.
    const broken = flow(`  - { id: each, type: core.foreach, values: "{{ inputs.missing }}", retry: { type: constant, interval: PT1S, maxAttempts: 3 }, tasks: [{ id: t, type: core.log, message: m }] }\n`);
    const never = decide(execution, broken, []);
    expect(never.insert.map((r) => [r.path, r.state])).toEqual([["each", "FAILED"]]);
    expect(never.end?.state).toBe("FAILED");
  });
  it("starts a new child when a parallel with retry holds a failed core.subflow (at once: a child has no queue to wait in)", () => {
    const doc = flow(`  - id: par
    type: core.parallel
    retry: { type: constant, interval: PT1S, maxAttempts: 2 }
    tasks:
      - { id: child, type: core.subflow, namespace: b, flowId: g, inputs: { day: "{{ execution.id }}" } }
`);
    const par = row("par", "RUNNING", { flowable: true });
    const d = decide(execution, doc, [par, row("par/child", "FAILED", { flowable: true, error: "child failed" })]);
    expect(d.insert.map((r) => [r.path, r.attempt, r.state])).toEqual([["par", 2, "RUNNING"], ["par/child", 2, "RUNNING"]]);
    expect(d.subflows).toEqual([{ runId: d.insert[1]!.id, path: "par/child", namespace: "b", flowId: "g", inputs: { day: "e1" }, wait: true }]);
  });
});
