import { describe, expect, it } from "vitest";
import { parseFlowSource } from "../flows/flow-parser.ts";
import { flowReferences, tableWrites } from "../flows/flow-references.ts";
import { definitionOf, findTask, TASK_TYPES, TASKS, walkTasks, type Task, type TaskType } from "./registry.ts";
import { durationMs, type TaskContext, type TaskDefinition } from "./task-definition.ts";

describe("the task registry", () => {
  it("has one definition per task type of the vocabulary", () => {
    expect(TASK_TYPES).toEqual(["sql.query", "core.log", "core.parallel", "core.foreach", "core.subflow", "http.request", "notify.email"]);
    for (const type of TASK_TYPES) expect(TASKS[type].type).toBe(type);
  });

  it("refuses at compile time a registry that lacks a task type", () => {
    const { "notify.email": _left, ...partial } = TASKS;
    // @ts-expect-error notify.email has no definition (its executor among others)
    const incomplete: { readonly [K in TaskType]: TaskDefinition<Extract<Task, { type: K }>> } = partial;
    expect(Object.keys(incomplete)).not.toContain("notify.email");
  });

  it("walks the task tree through the registry's children", () => {
    const parsed = parseFlowSource(`id: f
namespace: a
tasks:
  - { id: one, type: core.log, message: hi }
  - id: par
    type: core.parallel
    tasks:
      - { id: a, type: core.log, message: a }
      - id: each
        type: core.foreach
        values: [1, 2]
        tasks:
          - { id: inner, type: core.log, message: x }
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const seen: string[] = [];
    walkTasks(parsed.document.tasks, (t, path) => seen.push(`${t.id}@${path.join("/")}`));
    expect(seen).toEqual(["one@tasks/0", "par@tasks/1", "a@tasks/1/tasks/0", "each@tasks/1/tasks/1", "inner@tasks/1/tasks/1/tasks/0"]);
    expect(findTask(parsed.document.tasks, "inner")?.type).toBe("core.log");
  });

  it("derives a flow's references from each task's definition, nested ones with their paths", () => {
    const parsed = parseFlowSource(`id: f
namespace: a
tasks:
  - id: par
    type: core.parallel
    tasks:
      - id: each
        type: core.foreach
        values: [1, 2]
        tasks:
          - { id: child, type: core.subflow, namespace: b, flowId: g }
          - id: q
            type: sql.query
            sql: "INSERT INTO sales.orders SELECT * FROM sales.raw -- FROM sales.comment"
            destinationTable: sales.daily$20260101
`);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const refs = flowReferences(parsed.document);
    expect(refs.edges).toEqual([{ namespace: "b", flowId: "g", kind: "subflow", path: ["tasks", 0, "tasks", 0, "tasks", 0] }]);
    expect(refs.tables).toEqual([
      { dataset: "sales", table: "orders", kind: "writes" },
      { dataset: "sales", table: "raw", kind: "reads" },
      { dataset: "sales", table: "daily", kind: "writes" },
    ]);
    expect(tableWrites(parsed.document).map((w) => `${w.dataset}.${w.table}@${w.path.join("/")}`)).toEqual([
      "sales.orders@tasks/0/tasks/0/tasks/1/sql",
      "sales.daily@tasks/0/tasks/0/tasks/1/destinationTable",
    ]);
    // Only the task types that name something declare references.
    expect(TASK_TYPES.filter((t) => TASKS[t].references !== undefined)).toEqual(["sql.query", "core.subflow"]);
  });

  it.each([
    ["notify.email", { id: "m", type: "notify.email", to: ["a@b.co"], subject: "s" }, "not available yet: notify.email runs once the notifications land"],
  ] as const)("%s fails with 'not available yet', never a silent success", async (_type, task, message) => {
    const d = definitionOf(task as unknown as Task);
    if (d.kind !== "runnable") throw new Error("expected a runnable task");
    const ctx = { task, logger: { log: () => undefined }, signal: new AbortController().signal, execution: { id: "e", namespace: "a", flowId: "f", flowRevision: 1 }, taskRun: { id: "t", attempt: 1 } };
    await expect(d.execute(ctx as unknown as TaskContext<Task>)).rejects.toThrow(message);
  });

  it("reads ISO-8601 durations", () => {
    expect(durationMs("PT30M")).toBe(1_800_000);
    expect(durationMs("P1DT1H")).toBe(90_000_000);
    expect(durationMs("PT0.25S")).toBe(250);
  });
});
