import { cronProblem as sharedCronProblem, isTimeZone as sharedIsTimeZone } from "@meshplane/rules";
import { z } from "zod";
import { description, flowId, labels, namespaceName } from "../names.ts";
import { taskList, unknownType, walkTasks, type Task } from "../tasks/registry.ts";
import { isoDuration, taskId } from "../tasks/task-definition.ts";

/**
 * The flow vocabulary (SPEC §3) as zod schemas. Every object is strict: an unknown
 * field is an error, because a typo (`destinationTabel`) silently ignored would ship a
 * pipeline that does something else than its author reads. Names may grow, never break.
 * Task types live in src/tasks, one file each (registry.ts builds their union).
 */

export { TASK_TYPES, type Task } from "../tasks/registry.ts";
export { tableReference, WRITE_DISPOSITIONS } from "../tasks/sql-query.ts";

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

// The check is @meshplane/rules' (croner with the scheduler's options, orchestrator/cron.ts:
// what validates is what fires), shared with the modules; here it is only remembered.
function computeCronProblem(cron: string, timezone: string | undefined): string | null {
  return sharedCronProblem(cron, timezone);
}

export const isTimeZone = memoized(sharedIsTimeZone);

const triggerBase = { id: taskId, disabled: z.boolean().optional(), description: description.optional() };

const scheduleTrigger = z
  .strictObject({
    ...triggerBase,
    type: z.literal("schedule"),
    cron: z.string().max(200),
    timezone: z.string().max(100).optional().describe("an IANA time zone such as Europe/Paris (default UTC)"),
    recoverMissedSchedules: z
      .enum(["LAST", "ALL", "NONE"])
      .optional()
      .describe("slots missed while no scheduler ran: LAST (default) runs the latest one, ALL runs each, NONE skips them"),
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
    window: isoDuration.optional().describe("with several upstreams: each must have ended within this duration of the others for the trigger to fire (default P1D)"),
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

export const CONCURRENCY_BEHAVIORS = ["QUEUE", "CANCEL", "FAIL"] as const;

const flowConcurrency = z
  .strictObject({
    limit: z.number().int().min(1).max(10_000).describe("executions of this flow running at once, across replicas"),
    behavior: z.enum(CONCURRENCY_BEHAVIORS).optional().describe("what a start over the limit does: QUEUE (default: wait), CANCEL (end CANCELLED) or FAIL (end FAILED)"),
  })
  .meta({ id: "FlowConcurrency" });

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
    timeout: isoDuration.optional().describe("an execution still running after this fails"),
    concurrency: flowConcurrency.optional(),
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
  const all: { id: string; path: (string | number)[] }[] = [];
  walkTasks(tasks, (t, path) => all.push({ id: t.id, path }), at);
  return all;
}
