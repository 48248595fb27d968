import { z } from "zod";
import { notAvailableYet } from "./not-available.ts";
import { taskBase, type RunnableDefinition } from "./task-definition.ts";

const schema = z
  .strictObject({
    ...taskBase,
    type: z.literal("notify.email"),
    to: z.array(z.email()).min(1),
    cc: z.array(z.email()).optional(),
    subject: z.string().max(1000),
    body: z.string().max(100_000).optional(),
  })
  .meta({ id: "EmailTask" });

export type EmailTask = z.infer<typeof schema>;

export const notifyEmail: RunnableDefinition<EmailTask> = {
  kind: "runnable",
  type: "notify.email",
  schema,
  execute: notAvailableYet("notify.email", "the notifications"),
};
