import { randomUUID } from "node:crypto";
import type { FlowDocument } from "../flows/flow-schema.ts";
import type { NewTaskRun, TaskRunRow } from "../repositories/execution-repository.ts";
import { findTask, needsWarehouse } from "../tasks/registry.ts";

/**
 * What a restart runs again (POST /executions/{id}/restart): the next attempt of every
 * position whose latest attempt FAILED or was KILLED — the tasks themselves and the
 * parallel/foreach runs around them (a foreach keeps the values it resolved) — while
 * successful runs and their outputs are kept. Positions never reached (after the one
 * that failed, or branches not started) are then decided as usual by `decide`.
 * A foreach whose values never resolved has none to keep: it is not run again, and the
 * restarted execution fails again with the same error (its inputs have not changed).
 * Attempt numbers go on from the last one, so a task's `retry.maxAttempts` counts the
 * attempts before the restart too.
 */
export function restartAttempts(executionId: string, doc: FlowDocument, taskRuns: readonly TaskRunRow[]): NewTaskRun[] {
  const latest = new Map<string, TaskRunRow>();
  for (const run of taskRuns) {
    const seen = latest.get(run.path);
    if (!seen || seen.attempt < run.attempt) latest.set(run.path, run);
  }
  const again: NewTaskRun[] = [];
  for (const run of latest.values()) {
    if (run.state !== "FAILED" && run.state !== "KILLED") continue;
    const values = run.outputs["values"];
    if (!Array.isArray(values) && findTask(doc.tasks, run.taskId)?.type === "core.foreach") continue;
    again.push({
      id: randomUUID(),
      executionId,
      taskId: run.taskId,
      path: run.path,
      value: run.value,
      attempt: run.attempt + 1,
      flowable: run.flowable,
      needsWarehouse: needsWarehouse(findTask(doc.tasks, run.taskId)),
      state: run.flowable ? "RUNNING" : "CREATED",
      ...(run.flowable && Array.isArray(values) ? { outputs: { values } } : {}),
    });
  }
  return again;
}
