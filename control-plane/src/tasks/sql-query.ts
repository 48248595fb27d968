import { FEED_TYPES } from "@meshplane/rules";
import { z } from "zod";
import { parseTableId } from "../warehouse/duckdb/names.ts";
import { decoratorProblem, mergeIntoDecoratorProblem, withoutDecorator } from "../warehouse/partition.ts";
import { WarehouseError } from "../warehouse/warehouse.ts";
import { sqlQueryReferences } from "./sql-query-references.ts";
import { TaskFailure, taskBase, type RunnableDefinition, type TaskContext, type TaskOutputs } from "./task-definition.ts";

/** A write disposition is a feed type (@meshplane/rules): the contract's, by default. */
export const WRITE_DISPOSITIONS = FEED_TYPES;

/** `dataset.table` or `project.dataset.table` (project ids may contain '-'). */
const TABLE_REFERENCE = /(?:[a-z][a-z0-9-]{4,28}[a-z0-9]\.)?[A-Za-z0-9_]{1,1024}\.[A-Za-z0-9_][A-Za-z0-9_-]{0,1023}/.source;
export const tableReference = z.string().regex(new RegExp(`^${TABLE_REFERENCE}$`), "must be `dataset.table` or `project.dataset.table`");

/** A destination: a table reference, optionally with a day partition decorator `$YYYYMMDD` (warehouse/partition.ts). */
const destinationReference = z
  .string()
  // The pattern (also in the flow JSON schema) lets any decorator through, so that the check below names it.
  .regex(new RegExp(`^${TABLE_REFERENCE}(?:\\$[^.]*)?$`), "must be `dataset.table` or `project.dataset.table`, optionally with a day decorator `$YYYYMMDD`")
  .superRefine((value, ctx) => {
    const at = value.indexOf("$");
    const problem = at >= 0 && decoratorProblem(value.slice(at + 1));
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const schema = z
  .strictObject({
    ...taskBase,
    type: z.literal("sql.query"),
    sql: z.string().min(1, "must not be empty").max(1_000_000),
    destinationTable: destinationReference.optional().describe("where the result goes: `dataset.table` or `project.dataset.table`, optionally `$YYYYMMDD` for one day of a day-partitioned table"),
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
    const merge = t.destinationTable?.includes("$") && mergeIntoDecoratorProblem(t.destinationTable, t.writeDisposition ?? "WRITE_APPEND");
    if (merge) ctx.addIssue({ code: "custom", path: ["writeDisposition"], message: merge });
  })
  .meta({ id: "SqlQueryTask", description: "Runs SQL on the warehouse, optionally writing the result to a table" });

export type SqlQueryTask = z.infer<typeof schema>;

export const sqlQuery: RunnableDefinition<SqlQueryTask> = {
  kind: "runnable",
  type: "sql.query",
  schema,
  // Only a process holding the warehouse claims it (the DuckDB file has one owner: ARCHITECTURE.md "Warehouse").
  needs: "warehouse",
  execute,
  references: sqlQueryReferences,
};

/** Rows a query without destinationTable hands to later tasks (`{{ outputs.q.rows }}`), and their JSON size. */
export const SQL_QUERY_MAX_ROWS = 1_000;
export const SQL_QUERY_MAX_ROWS_BYTES = 1_000_000;

async function execute(ctx: TaskContext<SqlQueryTask>): Promise<TaskOutputs> {
  const { task, warehouse } = ctx;
  if (!warehouse) throw new TaskFailure("this process has no warehouse (it should never have claimed a sql.query run): report it");
  const table = task.destinationTable === undefined ? undefined : parseTableId(task.destinationTable);
  // A decorated name ($YYYYMMDD) writes one day of the table: the contract is the table's.
  const contract = table && (await ctx.findContract(withoutDecorator(table)));
  try {
    const result = await warehouse.query({
      sql: task.sql,
      ...(table && {
        destination: {
          table,
          // A contract's feed type and keys are the table's; the task may name them too.
          disposition: task.writeDisposition ?? contract?.feedType ?? "WRITE_APPEND",
          ...((task.keys ?? contract?.keys) && { keys: task.keys ?? contract!.keys }),
          ...(contract && { contract }),
        },
      }),
      labels: { "meshplane-execution": ctx.execution.id, "meshplane-namespace": ctx.execution.namespace, "meshplane-flow": ctx.execution.flowId, "meshplane-task": task.id },
      signal: ctx.signal,
      maxRows: SQL_QUERY_MAX_ROWS,
      log: (level, message) => ctx.logger.log(level, message),
    });
    const outputs: TaskOutputs = { rowsInserted: result.rowsInserted, rowsUpdated: result.rowsUpdated, rowsDeleted: result.rowsDeleted, durationMs: result.durationMs };
    if (result.bytesProcessed !== undefined) outputs["bytesProcessed"] = result.bytesProcessed;
    if (result.jobId !== undefined) outputs["jobId"] = result.jobId;
    if (result.rows) {
      const { rows, cut } = withinBytes(result.rows, SQL_QUERY_MAX_ROWS_BYTES);
      outputs["rows"] = rows;
      outputs["rowsTruncated"] = Boolean(result.rowsTruncated) || cut;
      outputs["columns"] = result.columns ?? [];
    }
    ctx.logger.log("INFO", table ? `${task.destinationTable}: ${result.rowsInserted} inserted, ${result.rowsUpdated} updated, ${result.rowsDeleted} deleted in ${result.durationMs} ms` : `query returned ${result.rows?.length ?? 0} rows in ${result.durationMs} ms`);
    return outputs;
  } catch (error) {
    if (error instanceof WarehouseError) throw new TaskFailure(error.message);
    throw error;
  }
}

/** The first rows whose JSON fits `limit` bytes (outputs are stored with the task run). */
function withinBytes(rows: readonly Record<string, unknown>[], limit: number): { rows: Record<string, unknown>[]; cut: boolean } {
  let bytes = 2;
  const kept: Record<string, unknown>[] = [];
  for (const row of rows) {
    bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    if (bytes > limit) return { rows: kept, cut: true };
    kept.push(row);
  }
  return { rows: kept, cut: false };
}
