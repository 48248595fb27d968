import { describe, expect, it } from "vitest";
import { parseFlowSource } from "../flows/flow-parser.ts";
import type { FlowDocument } from "../flows/flow-schema.ts";
import type { TaskRunRow } from "../repositories/execution-repository.ts";
import { decide } from "./executor.ts";
import { restartAttempts } from "./restart.ts";

function flow(tasks: string): FlowDocument {
  const parsed = parseFlowSource(`id: f\nnamespace: a\ntasks:\n${tasks}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.document;
}

let n = 0;
function row(path: string, state: TaskRunRow["state"], extra: Partial<TaskRunRow> = {}): TaskRunRow {
  return { id: `r${++n}`, taskId: path.split("/").pop()!, path, value: null, attempt: 1, flowable: false, state, outputs: {}, error: null, createdAt: "", startedAt: null, endedAt: null, ...extra };
}

const EACH = flow(`  - { id: first, type: core.log, message: first }
  - id: each
    type: core.foreach
    values: [x, y]
    tasks:
      - { id: item, type: core.log, message: "{{ taskrun.value }}" }
  - { id: last, type: core.log, message: last }
`);

describe("what a restart runs again", () => {
  it("the next attempt of each failed or killed position, flowables keeping their values; successful runs untouched", () => {
    const runs = [
      row("first", "SUCCESS"),
      row("each", "FAILED", { taskId: "each", flowable: true, outputs: { values: ["x", "y"] } }),
      row("each/0/item", "SUCCESS", { taskId: "item", value: "x" }),
      row("each/1/item", "FAILED", { taskId: "item", value: "y" }),
      row("each/1/item", "KILLED", { taskId: "item", value: "y", attempt: 2 }),
    ];
    const again = restartAttempts("e1", EACH, runs);
    expect(again.map((r) => [r.path, r.attempt, r.state, r.value ?? null, r.outputs ?? null]).sort()).toEqual([
      ["each", 2, "RUNNING", null, { values: ["x", "y"] }],
      ["each/1/item", 3, "CREATED", "y", null],
    ]);
    // Then the decision carries on from there: nothing new until the restarted item ends, and `last` after it.
    const restarted = [...runs, ...again.map((r) => row(r.path, r.state as TaskRunRow["state"], { taskId: r.taskId, attempt: r.attempt, flowable: r.flowable, value: r.value, outputs: r.outputs ?? {} }))];
    const execution = { id: "e1", namespace: "a", flowId: "f", flowRevision: 1, state: "RETRYING" as const, inputs: {}, labels: {}, trigger: { type: "api" as const } };
    const d = decide(execution, EACH, restarted);
    expect(d.start).toBe(true);
    expect(d.insert).toEqual([]);
    expect(d.end).toBeUndefined();
  });

  it("does not run again a foreach whose values never resolved (it would succeed over no values)", () => {
    const doc = flow(`  - id: each
    type: core.foreach
    values: "{{ inputs.missing }}"
    tasks:
      - { id: item, type: core.log, message: x }
`);
    expect(restartAttempts("e1", doc, [row("each", "FAILED", { taskId: "each", flowable: true, error: "undefined variable: inputs.missing" })])).toEqual([]);
  });
});
