import { z } from "zod";
import { LOG_LEVELS, taskBase, type RunnableDefinition } from "./task-definition.ts";

const schema = z
  .strictObject({
    ...taskBase,
    type: z.literal("core.log"),
    message: z.string().max(100_000),
    level: z.enum(LOG_LEVELS).optional(),
  })
  .meta({ id: "LogTask" });

export type LogTask = z.infer<typeof schema>;

export const coreLog: RunnableDefinition<LogTask> = {
  kind: "runnable",
  type: "core.log",
  schema,
  execute: async ({ task, logger }) => {
    logger.log(task.level ?? "INFO", task.message);
    return {};
  },
};
