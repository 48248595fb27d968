import { z } from "zod";
import type { Task } from "./registry.ts";
import { runOptionsRefused, retryPolicy, concurrency, taskBase, taskListRef, TaskFailure, type FlowableDefinition, type RetryPolicy } from "./task-definition.ts";

export interface ForeachTask {
  id: string;
  type: "core.foreach";
  values: string | (string | number)[];
  tasks: Task[];
  concurrency?: number | undefined;
  description?: string | undefined;
  disabled?: boolean | undefined;
  timeout?: string | undefined;
  retry?: RetryPolicy | undefined;
}

const schema: z.ZodType<ForeachTask> = z
  .strictObject({
    ...taskBase,
    ...runOptionsRefused("core.foreach", ["timeout"], "set it on the tasks inside it (or the flow's `timeout`)"),
    retry: retryPolicy.optional().describe("when it fails: its next attempt runs again what failed or was killed inside it (after the backoff); what succeeded is kept"),
    type: z.literal("core.foreach"),
    values: z
      .union([z.array(z.union([z.string(), z.number()])).min(1), z.string().min(1)])
      .describe("a list, or a string giving a JSON list (templates allowed: `{{ outputs.list.values }}`)"),
    get tasks(): z.ZodArray<z.ZodType<Task>> {
      return taskListRef.current!;
    },
    concurrency,
  })
  .meta({ id: "ForeachTask", description: "Runs its tasks once per value, in order within a value; values side by side (at most `concurrency` at once)" });

export const coreForeach: FlowableDefinition<ForeachTask> = {
  kind: "flowable",
  type: "core.foreach",
  schema,
  children: (t) => t.tasks,
  concurrency: (t) => t.concurrency,
};

export const FOREACH_VALUE_LIMIT = 10_000;

/** The values once templates are rendered: a list as written, or a string holding a JSON list. */
export function foreachValues(values: string | readonly (string | number)[]): unknown[] {
  let list: unknown;
  if (typeof values === "string") {
    try {
      list = JSON.parse(values);
    } catch {
      throw new TaskFailure(`values must be a list or a string holding a JSON list; got ${JSON.stringify(values.slice(0, 200))}`);
    }
  } else list = values;
  if (!Array.isArray(list)) throw new TaskFailure(`values must give a JSON list; got ${JSON.stringify(list)?.slice(0, 200)}`);
  if (list.length > FOREACH_VALUE_LIMIT) throw new TaskFailure(`values has ${list.length} items; at most ${FOREACH_VALUE_LIMIT}`);
  return list;
}
