import { z } from "zod";
import type { Task } from "./registry.ts";
import { runOptionsRefused, retryPolicy, concurrency, taskBase, taskListRef, type FlowableDefinition, type RetryPolicy } from "./task-definition.ts";

// Spelled out because TypeScript cannot infer a type that refers to itself.
export interface ParallelTask {
  id: string;
  type: "core.parallel";
  tasks: Task[];
  concurrency?: number | undefined;
  description?: string | undefined;
  disabled?: boolean | undefined;
  timeout?: string | undefined;
  retry?: RetryPolicy | undefined;
}

const schema: z.ZodType<ParallelTask> = z
  .strictObject({
    ...taskBase,
    ...runOptionsRefused("core.parallel", ["timeout"], "set it on the tasks inside it (or the flow's `timeout`)"),
    retry: retryPolicy.optional().describe("when it fails: its next attempt runs again what failed or was killed inside it (after the backoff); what succeeded is kept"),
    type: z.literal("core.parallel"),
    get tasks(): z.ZodArray<z.ZodType<Task>> {
      return taskListRef.current!;
    },
    concurrency,
  })
  .meta({ id: "ParallelTask", description: "Runs its tasks at the same time (at most `concurrency` at once)" });

export const coreParallel: FlowableDefinition<ParallelTask> = {
  kind: "flowable",
  type: "core.parallel",
  schema,
  children: (t) => t.tasks,
  concurrency: (t) => t.concurrency,
};
