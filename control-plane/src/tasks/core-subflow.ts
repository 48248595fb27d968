import { z } from "zod";
import { flowId, namespaceName } from "../names.ts";
import { runOptionsRefused, taskBase, type SubflowDefinition } from "./task-definition.ts";

const schema = z
  .strictObject({
    ...taskBase,
    ...runOptionsRefused("core.subflow", ["timeout", "retry"], "set it on the child flow (its `timeout`, its tasks' `retry`)"),
    type: z.literal("core.subflow"),
    namespace: namespaceName,
    flowId,
    inputs: z.record(z.string(), z.unknown()).optional().describe("the child's inputs (templates allowed), checked against its flow's `inputs` when it starts"),
    wait: z
      .boolean()
      .optional()
      .describe("true (default): the task ends when the child ends, SUCCESS or WARNING as success; false: once the child is created"),
  })
  .meta({
    id: "SubflowTask",
    description: "Runs another flow as a child execution (outputs: executionId, state); across teams this needs a subflow grant, checked when it runs",
  });

export type SubflowTask = z.infer<typeof schema>;

/**
 * Driven by the executor, not a worker: starting the child (the run-time subflow grant,
 * the child's inputs) is orchestrator/subflows.ts, its end is handled by end-handler.ts.
 * `retry` and `timeout` are refused by its schema (runOptionsRefused): a retry would have to
 * start a second child, and the child flow has its own `timeout`.
 */
export const coreSubflow: SubflowDefinition<SubflowTask> = {
  kind: "subflow",
  type: "core.subflow",
  schema,
  child: (t) => ({ namespace: t.namespace, flowId: t.flowId, inputs: t.inputs ?? {}, wait: t.wait ?? true }),
  references: (t) => ({ flows: [{ namespace: t.namespace, flowId: t.flowId, at: [] }] }),
};
