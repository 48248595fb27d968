import { z } from "zod";
import { description } from "../names.ts";
import type { TableContractView, TableId, Warehouse } from "../warehouse/warehouse.ts";
import type { Task } from "./registry.ts";

/**
 * What a task type is: its zod schema, its children (for the tree walker) and how it
 * runs. A *runnable* task is executed by a worker (`execute`); a *flowable* task only
 * holds other tasks, and the executor (orchestrator/executor.ts) decides when its
 * children run. A new task type is one new file in src/tasks and one line in registry.ts.
 */
export type TaskDefinition<T extends Task = Task> = RunnableDefinition<T> | FlowableDefinition<T> | SubflowDefinition<T>;

/** What every kind of definition has: its type, its schema, and what it points at. */
interface DefinitionBase<T extends Task> {
  readonly type: T["type"];
  readonly schema: z.ZodType<T>;
  /** The flows and tables it names, for the stored graph (flows/flow-references.ts); none when absent. */
  readonly references?: (task: T) => TaskReferences;
}

export interface RunnableDefinition<T extends Task> extends DefinitionBase<T> {
  readonly kind: "runnable";
  readonly execute: (ctx: TaskContext<T>) => Promise<TaskOutputs>;
  /** A resource only some processes have: its runs are claimed only by those (claim-task-runs.sql). */
  readonly needs?: "warehouse";
}

export interface FlowableDefinition<T extends Task> extends DefinitionBase<T> {
  readonly kind: "flowable";
  /** The tasks it holds, in order. */
  readonly children: (task: T) => readonly Task[];
  /** How many of its branches (parallel children, foreach values) may run at once; undefined = all. */
  readonly concurrency: (task: T) => number | undefined;
}

/**
 * A task the executor runs itself by starting another execution (core.subflow): its run
 * is created RUNNING and never claimed by a worker, so no worker slot is held while the
 * child runs; the child's end ends it (orchestrator/subflows.ts, end-handler.ts).
 */
export interface SubflowDefinition<T extends Task> extends DefinitionBase<T> {
  readonly kind: "subflow";
  /** What to start, from the task with its templates rendered. */
  readonly child: (task: T) => { namespace: string; flowId: string; inputs: Record<string, unknown>; wait: boolean };
}

/**
 * What one task names, each with where in the task it is named (`at`, a JSON path below
 * the task: `["sql"]`, `["destinationTable"]`; `[]` for the task itself).
 */
export interface TaskReferences {
  readonly flows?: readonly { readonly namespace: string; readonly flowId: string; readonly at: readonly (string | number)[] }[];
  readonly tables?: readonly { readonly dataset: string; readonly table: string; readonly kind: "reads" | "writes"; readonly at: readonly (string | number)[] }[];
}

export type TaskOutputs = Record<string, unknown>;

export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const satisfies readonly LogLevel[];

/** Writes execution logs (GET /executions/{id}/logs), attached to the task run. */
export interface TaskLogger {
  log(level: LogLevel, message: string): void;
}

export interface TaskContext<T extends Task> {
  /** The task with its templates already rendered. */
  readonly task: T;
  readonly logger: TaskLogger;
  /** Aborted when the task run times out or is killed: long work must listen to it. */
  readonly signal: AbortSignal;
  readonly execution: { readonly id: string; readonly namespace: string; readonly flowId: string; readonly flowRevision: number };
  readonly taskRun: { readonly id: string; readonly attempt: number; readonly value?: unknown };
  /** The process's warehouse; absent in processes without one (they never claim tasks that need it). */
  readonly warehouse?: Warehouse;
  /** The live contract of a table, by dataset and table (a dataset belongs to one namespace); undefined = none. */
  readonly findContract: (table: TableId) => Promise<TableContractView | undefined>;
}

/** A task that failed for a reason its author can act on: the message becomes the task run's error. */
export class TaskFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TaskFailure";
  }
}

export const taskId = z
  .string()
  .max(100, "must be at most 100 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/, "must start with a letter or digit, then letters, digits, '_' or '-'")
  .describe("unique within the flow");

/** ISO-8601 durations without years or months (their length varies): P1D, PT30M, PT1.5S. */
export const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?)?$/, "must be an ISO-8601 duration such as PT30M")
  .describe("an ISO-8601 duration such as PT30M");

export function durationMs(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m) throw new Error(`not an ISO-8601 duration: ${duration}`);
  const [, d, h, min, s] = m;
  return Math.round(((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000);
}

export const retryPolicy = z
  .strictObject({
    type: z.enum(["constant", "exponential"]).describe("constant: `interval` between attempts; exponential: doubles from `interval` up to `maxInterval`"),
    interval: isoDuration.describe("the wait before the second attempt"),
    maxAttempts: z.number().int().min(1).max(100).describe("attempts in all, the first one included"),
    maxInterval: isoDuration.optional().describe("exponential only: the longest wait"),
  })
  .meta({ id: "RetryPolicy", description: "How a failed task run is tried again" });
export type RetryPolicy = z.infer<typeof retryPolicy>;

/** Fields every task type has. */
export const taskBase = {
  id: taskId,
  description: description.optional(),
  disabled: z.boolean().optional().describe("skipped when true"),
  timeout: isoDuration.optional().describe("a task run still running after this fails (its work is aborted)"),
  retry: retryPolicy.optional(),
};

/**
 * For task types no worker runs: the run options they cannot honour (yet) are refused,
 * saying what to do instead — never a setting that silently does nothing. core.parallel and
 * core.foreach take `retry` (the executor runs their failed parts again) but not `timeout`;
 * core.subflow takes neither (a retry would start a second child, and the child flow has its
 * own `timeout`).
 */
export function runOptionsRefused<const F extends "timeout" | "retry">(type: string, fields: readonly F[], instead: string): Record<F, z.ZodOptional<z.ZodNever>> {
  const refuse = (field: string) => z.never({ error: `${type} does not take \`${field}\`: ${instead}` }).optional();
  return Object.fromEntries(fields.map((f) => [f, refuse(f)])) as Record<F, z.ZodOptional<z.ZodNever>>;
}

export const concurrency = z.number().int().min(1).max(1000).optional().describe("how many child runs at once (default: all)");

/** For container tasks: the task list of the registry, bound late (the registry imports the containers). */
export const taskListRef: { current?: z.ZodArray<z.ZodType<Task>> } = {};
