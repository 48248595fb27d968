import { z } from "zod";
import { coreForeach, type ForeachTask } from "./core-foreach.ts";
import { coreLog, type LogTask } from "./core-log.ts";
import { coreParallel, type ParallelTask } from "./core-parallel.ts";
import { coreSubflow, type SubflowTask } from "./core-subflow.ts";
import { httpRequest, type HttpRequestTask } from "./http-request.ts";
import { notifyEmail, type EmailTask } from "./notify-email.ts";
import { sqlQuery, type SqlQueryTask } from "./sql-query.ts";
import { taskListRef, type TaskDefinition } from "./task-definition.ts";

/** Every task of the vocabulary (SPEC §3). Adding a type: its file, then one line here and one in TASKS. */
export type Task = SqlQueryTask | LogTask | ParallelTask | ForeachTask | SubflowTask | HttpRequestTask | EmailTask;
export type TaskType = Task["type"];

/**
 * The registry. The mapped type is the compile-time check: a task type of the union
 * without a definition here (schema, children or executor) does not compile.
 */
export const TASKS: { readonly [K in TaskType]: TaskDefinition<Extract<Task, { type: K }>> } = {
  "sql.query": sqlQuery,
  "core.log": coreLog,
  "core.parallel": coreParallel,
  "core.foreach": coreForeach,
  "core.subflow": coreSubflow,
  "http.request": httpRequest,
  "notify.email": notifyEmail,
};

export const TASK_TYPES = Object.keys(TASKS) as TaskType[];

export function definitionOf<T extends Task>(task: T): TaskDefinition<T> {
  return TASKS[task.type as TaskType] as unknown as TaskDefinition<T>;
}

/** Its runs go only to a worker holding the warehouse (the DuckDB file has one owner). */
export function needsWarehouse(task: Task | undefined): boolean {
  const def = task && definitionOf(task);
  return def?.kind === "runnable" && def.needs === "warehouse";
}

const schemas = Object.values(TASKS).map((d) => d.schema) as unknown as [z.ZodObject, ...z.ZodObject[]];

export const taskSchema: z.ZodType<Task> = z
  .discriminatedUnion("type", schemas, {
    error: (issue) => (issue.code === "invalid_union" ? unknownType("task", issue.input, TASK_TYPES) : undefined),
  })
  .meta({ id: "Task" }) as unknown as z.ZodType<Task>;

export const taskList: z.ZodArray<z.ZodType<Task>> = z.array(taskSchema).min(1, "needs at least one task").max(1000).meta({ id: "TaskList" });
taskListRef.current = taskList;

export function unknownType(what: string, input: unknown, known: readonly string[]): string {
  const type = (input as { type?: unknown } | undefined)?.type;
  const head = type === undefined ? `a ${what} needs a type` : `unknown ${what} type ${JSON.stringify(type)}`;
  return `${head}; known types: ${known.join(", ")}`;
}

/** The tasks a task holds (none for runnable tasks). */
export function childrenOf(task: Task): readonly Task[] {
  const d = definitionOf(task);
  return d.kind === "flowable" ? d.children(task) : [];
}

/** Depth-first, in document order: every task with its JSON path (`["tasks", 0, "tasks", 1]`). */
export function walkTasks(tasks: readonly Task[], visit: (task: Task, path: (string | number)[]) => void, at: (string | number)[] = ["tasks"]): void {
  tasks.forEach((task, i) => {
    const path = [...at, i];
    visit(task, path);
    walkTasks(childrenOf(task), visit, [...path, "tasks"]);
  });
}

/** A task by its id (ids are unique in a flow). */
export function findTask(tasks: readonly Task[], id: string): Task | undefined {
  let found: Task | undefined;
  walkTasks(tasks, (t) => {
    if (found === undefined && t.id === id) found = t;
  });
  return found;
}
