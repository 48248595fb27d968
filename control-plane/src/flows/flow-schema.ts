import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { description, flowId, labels, namespaceName } from "../names.ts";

/**
 * The flow vocabulary (SPEC §3) as zod schemas. Every object is strict: an unknown
 * field is an error, because a typo (`destinationTabel`) silently ignored would ship a
 * pipeline that does something else than its author reads. Names may grow, never break.
 */

const taskId = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, "must start with a letter or digit, then letters, digits, '_' or '-'")
  .describe("unique within the flow");

/** `dataset.table` or `project.dataset.table` (project ids may contain '-'). */
export const tableReference = z
  .string()
  .regex(
    /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]\.)?[A-Za-z0-9_]{1,1024}\.[A-Za-z0-9_][A-Za-z0-9_-]{0,1023}$/,
    "must be `dataset.table` or `project.dataset.table`",
  );

const taskBase = {
  id: taskId,
  description: description.optional(),
  disabled: z.boolean().optional().describe("skipped when true"),
  timeout: z.string().regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, "must be an ISO-8601 duration such as PT30M").optional(),
};

export const WRITE_DISPOSITIONS = ["WRITE_APPEND", "WRITE_TRUNCATE", "MODE_DELTA"] as const;

const sqlQuery = z
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

const coreLog = z
  .strictObject({
    ...taskBase,
    type: z.literal("core.log"),
    message: z.string().max(100_000),
    level: z.enum(["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]).optional(),
  })
  .meta({ id: "LogTask" });

const concurrency = z.number().int().min(1).max(1000).optional().describe("how many child runs at once (default: all)");

const coreSubflow = z
  .strictObject({
    ...taskBase,
    type: z.literal("core.subflow"),
    namespace: namespaceName,
    flowId,
    inputs: z.record(z.string(), z.unknown()).optional(),
    wait: z.boolean().optional().describe("wait for the subflow to end (default true)"),
  })
  .meta({ id: "SubflowTask", description: "Runs another flow; across teams this needs a subflow grant" });

const httpRequest = z
  .strictObject({
    ...taskBase,
    type: z.literal("http.request"),
    uri: z.url({ protocol: /^https?$/ }),
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().max(1_000_000).optional(),
  })
  .meta({ id: "HttpRequestTask" });

const notifyEmail = z
  .strictObject({
    ...taskBase,
    type: z.literal("notify.email"),
    to: z.array(z.email()).min(1),
    cc: z.array(z.email()).optional(),
    subject: z.string().max(1000),
    body: z.string().max(100_000).optional(),
  })
  .meta({ id: "EmailTask" });

// The recursive types are spelled out because TypeScript cannot infer a type that
// refers to itself (parallel and foreach hold tasks).
export type Task =
  | z.infer<typeof sqlQuery>
  | z.infer<typeof coreLog>
  | z.infer<typeof coreSubflow>
  | z.infer<typeof httpRequest>
  | z.infer<typeof notifyEmail>
  | { id: string; type: "core.parallel"; tasks: Task[]; concurrency?: number | undefined; description?: string | undefined; disabled?: boolean | undefined; timeout?: string | undefined }
  | {
      id: string;
      type: "core.foreach";
      values: string | (string | number)[];
      tasks: Task[];
      concurrency?: number | undefined;
      description?: string | undefined;
      disabled?: boolean | undefined;
      timeout?: string | undefined;
    };

const coreParallel = z
  .strictObject({
    ...taskBase,
    type: z.literal("core.parallel"),
    get tasks(): z.ZodArray<z.ZodType<Task>> {
      return taskList;
    },
    concurrency,
  })
  .meta({ id: "ParallelTask", description: "Runs its tasks at the same time" });

const coreForeach = z
  .strictObject({
    ...taskBase,
    type: z.literal("core.foreach"),
    values: z.union([z.array(z.union([z.string(), z.number()])).min(1), z.string().min(1)]).describe("a list, or an expression giving one"),
    get tasks(): z.ZodArray<z.ZodType<Task>> {
      return taskList;
    },
    concurrency,
  })
  .meta({ id: "ForeachTask", description: "Runs its tasks once per value" });

export const TASK_TYPES = ["sql.query", "core.log", "core.parallel", "core.foreach", "core.subflow", "http.request", "notify.email"] as const;

const task: z.ZodType<Task> = z
  .discriminatedUnion("type", [sqlQuery, coreLog, coreParallel, coreForeach, coreSubflow, httpRequest, notifyEmail], {
    error: (issue) => (issue.code === "invalid_union" ? unknownType("task", issue.input, TASK_TYPES) : undefined),
  })
  .meta({ id: "Task" });

const taskList: z.ZodArray<z.ZodType<Task>> = z.array(task).min(1, "needs at least one task").max(1000).meta({ id: "TaskList" });

function unknownType(what: string, input: unknown, known: readonly string[]): string {
  const type = (input as { type?: unknown } | undefined)?.type;
  const head = type === undefined ? `a ${what} needs a type` : `unknown ${what} type ${JSON.stringify(type)}`;
  return `${head}; known types: ${known.join(", ")}`;
}

export const FLOW_STATES = ["SUCCESS", "WARNING", "FAILED", "KILLED"] as const;

/**
 * Checking a cron or a time zone costs more than parsing the rest of a flow (luxon,
 * Intl); thousands of flows share a handful of them, so answers are remembered.
 */
const MEMO_LIMIT = 2_000;
function memoized<T>(compute: (key: string) => T): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    if (memo.has(key)) return memo.get(key)!;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    const value = compute(key);
    memo.set(key, value);
    return value;
  };
}

const cronProblemMemo = memoized((key) => {
  const [cron, timezone] = JSON.parse(key) as [string, string | null];
  return computeCronProblem(cron, timezone ?? undefined);
});

/** 5 fields (minute…weekday), 6 (with seconds) or an alias such as @daily. */
export function cronProblem(cron: string, timezone: string | undefined): string | null {
  return cronProblemMemo(JSON.stringify([cron, timezone ?? null]));
}

function computeCronProblem(cron: string, timezone: string | undefined): string | null {
  const fields = cron.trim().split(/\s+/);
  if (!cron.trim().startsWith("@") && fields.length !== 5 && fields.length !== 6) {
    return `invalid cron "${cron}": expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds, or an alias such as @daily`;
  }
  try {
    CronExpressionParser.parse(cron, timezone ? { tz: timezone } : {});
    return null;
  } catch (error) {
    return `invalid cron "${cron}": ${(error as Error).message}`;
  }
}

export const isTimeZone = memoized((tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
});

const triggerBase = { id: taskId, disabled: z.boolean().optional(), description: description.optional() };

const scheduleTrigger = z
  .strictObject({
    ...triggerBase,
    type: z.literal("schedule"),
    cron: z.string().max(200),
    timezone: z.string().max(100).optional().describe("an IANA time zone such as Europe/Paris (default UTC)"),
  })
  .superRefine((t, ctx) => {
    if (t.timezone !== undefined && !isTimeZone(t.timezone)) {
      ctx.addIssue({ code: "custom", path: ["timezone"], message: `unknown time zone "${t.timezone}": use an IANA name such as Europe/Paris or UTC` });
      return;
    }
    const problem = cronProblem(t.cron, t.timezone);
    if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
  })
  .meta({ id: "ScheduleTrigger" });

const flowTrigger = z
  .strictObject({
    ...triggerBase,
    type: z.literal("flow"),
    upstream: z.array(z.strictObject({ namespace: namespaceName, flowId })).min(1).max(100),
    states: z.array(z.enum(FLOW_STATES)).min(1).optional().describe("upstream end states that fire the trigger (default [SUCCESS])"),
  })
  .meta({ id: "FlowTrigger", description: "Fires when an upstream flow ends; across teams this needs a trigger grant" });

export const TRIGGER_TYPES = ["schedule", "flow"] as const;

const trigger = z.discriminatedUnion("type", [scheduleTrigger, flowTrigger], {
  error: (issue) => (issue.code === "invalid_union" ? unknownType("trigger", issue.input, TRIGGER_TYPES) : undefined),
});

const input = z
  .strictObject({
    id: taskId,
    type: z.enum(["STRING", "INT", "FLOAT", "BOOLEAN", "DATE", "DATETIME", "JSON"]),
    required: z.boolean().optional(),
    defaults: z.unknown().optional(),
    description: description.optional(),
  })
  .meta({ id: "FlowInput" });

export const flowDocumentSchema = z
  .strictObject({
    id: flowId,
    namespace: namespaceName,
    description: description.optional(),
    labels: labels.optional(),
    disabled: z.boolean().optional(),
    inputs: z.array(input).max(100).optional(),
    tasks: taskList,
    triggers: z.array(trigger).max(100).optional(),
  })
  .superRefine((flow, ctx) => {
    for (const [where, ids] of [["tasks", allTaskPaths(flow.tasks, ["tasks"])], ["triggers", (flow.triggers ?? []).map((t, i) => ({ id: t.id, path: ["triggers", i] }))], ["inputs", (flow.inputs ?? []).map((t, i) => ({ id: t.id, path: ["inputs", i] }))]] as const) {
      const seen = new Set<string>();
      for (const { id, path } of ids) {
        if (seen.has(id)) ctx.addIssue({ code: "custom", path: [...path, "id"], message: `duplicate ${where.slice(0, -1)} id "${id}": ids must be unique in a flow` });
        seen.add(id);
      }
    }
  })
  .meta({ id: "Flow", title: "Meshplane flow", description: "A declarative pipeline: tasks, and the triggers that start it" });

export type FlowDocument = z.infer<typeof flowDocumentSchema>;

function allTaskPaths(tasks: readonly Task[], at: (string | number)[]): { id: string; path: (string | number)[] }[] {
  return tasks.flatMap((t, i) => {
    const path = [...at, i];
    const children = t.type === "core.parallel" || t.type === "core.foreach" ? allTaskPaths(t.tasks, [...path, "tasks"]) : [];
    return [{ id: t.id, path }, ...children];
  });
}
