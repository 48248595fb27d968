import { z } from "zod";
import { flowId, namespaceName } from "../names.ts";
import { notAvailableYet } from "./not-available.ts";
import { taskBase, type RunnableDefinition } from "./task-definition.ts";

const schema = z
  .strictObject({
    ...taskBase,
    type: z.literal("core.subflow"),
    namespace: namespaceName,
    flowId,
    inputs: z.record(z.string(), z.unknown()).optional(),
    wait: z.boolean().optional().describe("wait for the subflow to end (default true)"),
  })
  .meta({ id: "SubflowTask", description: "Runs another flow; across teams this needs a subflow grant" });

export type SubflowTask = z.infer<typeof schema>;

export const coreSubflow: RunnableDefinition<SubflowTask> = {
  kind: "runnable",
  type: "core.subflow",
  schema,
  // The next phase of issue 11 (with the run-time subflow grant check).
  execute: notAvailableYet("core.subflow", "subflow executions"),
};
