import { z } from "zod";
import { notAvailableYet } from "./not-available.ts";
import { taskBase, type RunnableDefinition } from "./task-definition.ts";

export const WRITE_DISPOSITIONS = ["WRITE_APPEND", "WRITE_TRUNCATE", "MODE_DELTA"] as const;

/** `dataset.table` or `project.dataset.table` (project ids may contain '-'). */
export const tableReference = z
  .string()
  .regex(
    /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]\.)?[A-Za-z0-9_]{1,1024}\.[A-Za-z0-9_][A-Za-z0-9_-]{0,1023}$/,
    "must be `dataset.table` or `project.dataset.table`",
  );

const schema = z
  .strictObject({
    ...taskBase,
    type: z.literal("sql.query"),
    sql: z.string().min(1, "must not be empty").max(1_000_000),
    destinationTable: tableReference.optional().describe("where the result goes: `dataset.table` or `project.dataset.table`"),
    writeDisposition: z.enum(WRITE_DISPOSITIONS).optional().describe("MODE_DELTA compiles to a MERGE on `keys`"),
    keys: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a column name")).min(1).optional().describe("required by MODE_DELTA"),
  })
  .superRefine((t, ctx) => {
    if (t.writeDisposition === "MODE_DELTA" && !t.keys) {
      ctx.addIssue({ code: "custom", path: ["keys"], message: "writeDisposition MODE_DELTA needs keys: the columns the MERGE matches rows on" });
    }
    if (t.writeDisposition !== undefined && t.destinationTable === undefined) {
      ctx.addIssue({ code: "custom", path: ["destinationTable"], message: `writeDisposition ${t.writeDisposition} needs a destinationTable` });
    }
  })
  .meta({ id: "SqlQueryTask", description: "Runs SQL on the warehouse, optionally writing the result to a table" });

export type SqlQueryTask = z.infer<typeof schema>;

export const sqlQuery: RunnableDefinition<SqlQueryTask> = {
  kind: "runnable",
  type: "sql.query",
  schema,
  execute: notAvailableYet("sql.query", "the warehouse"),
};
