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
});
