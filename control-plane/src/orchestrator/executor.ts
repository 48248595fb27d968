import { randomUUID } from "node:crypto";
import { parseFlowSource } from "../flows/flow-parser.ts";
import type { FlowDocument } from "../flows/flow-schema.ts";
import type { Logger } from "../logger.ts";
import type { ExecutionRepository, ExecutionRow, ExecutionStart, KillCause, LockedBatch, NewTaskRun, TaskRunRow } from "../repositories/execution-repository.ts";
import { foreachValues } from "../tasks/core-foreach.ts";
import { definitionOf, findTask, needsWarehouse, type Task } from "../tasks/registry.ts";
import { durationMs, type RetryPolicy } from "../tasks/task-definition.ts";
import type { FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import { countExecutionEnded } from "./metrics.ts";
import { restartAttempts } from "./restart.ts";
import { allowed, isTerminal, type ExecutionState } from "./states.ts";
import { startSubflows, type SubflowStart } from "./subflows.ts";
import { renderString, renderTask, triggerVariables, type TemplateScope } from "./templates.ts";

/**
 * What comes next in an execution, decided in this one module: which task runs start
 * (the next task of a sequence, parallel branches and foreach values up to their
 * `concurrency`, a retry after its backoff), which parallel/foreach runs end, and the
 * execution's end state. `decide` is a pure function of the flow (the pinned revision)
 * and the execution's task runs, so deciding twice gives the same answer and inserts
 * nothing new (task runs are unique per path and attempt); `Executor.advance` runs it
 * with the execution's row locked and applies it through the SQL of src/sql/executions.
 */
export interface Decision {
  start: boolean;
  insert: NewTaskRun[];
  endFlowables: { id: string; state: "SUCCESS" | "FAILED"; error: string | null }[];
  end: { state: "SUCCESS" | "WARNING" | "FAILED"; error: string | null } | undefined;
  /** core.subflow runs just inserted (RUNNING): the executor starts their children in the same transaction. */
  subflows: SubflowStart[];
}

type Status = { kind: "running" } | { kind: "success" } | { kind: "failed"; error: string };
const RUNNING: Status = { kind: "running" };
const SUCCESS: Status = { kind: "success" };

export function decide(execution: Pick<ExecutionRow, "id" | "namespace" | "flowId" | "flowRevision" | "state" | "inputs" | "labels" | "trigger">, doc: FlowDocument, taskRuns: readonly TaskRunRow[]): Decision {
  const decision: Decision = { start: false, insert: [], endFlowables: [], end: undefined, subflows: [] };
  if (isTerminal(execution.state) || execution.state === "KILLING" || execution.state === "QUEUED") return decision;
  // A restarted execution (RETRYING) runs again through RUNNING, like a new one.
  if (execution.state === "CREATED" || execution.state === "RETRYING") decision.start = true;

  // The latest attempt at each position of the tree.
  const latest = new Map<string, TaskRunRow>();
  for (const run of taskRuns) {
    const seen = latest.get(run.path);
    if (!seen || seen.attempt < run.attempt) latest.set(run.path, run);
  }
  const outputs: Record<string, Record<string, unknown>> = {};
  let warned = false;
  for (const run of taskRuns) {
    if (run.state === "SUCCESS" || run.state === "WARNING") outputs[run.taskId] = run.outputs;
    if (run.state === "WARNING") warned = true;
  }
  const scope = (value: unknown): TemplateScope => ({
    inputs: execution.inputs,
    execution: { id: execution.id, namespace: execution.namespace, flowId: execution.flowId, flowRevision: execution.flowRevision, labels: execution.labels },
    outputs,
    trigger: triggerVariables(execution.trigger),
    taskrun: { value },
  });

  const create = (task: Task, path: string, value: unknown, attempt: number, extra: Partial<NewTaskRun> = {}): TaskRunRow => {
    // Not claimed by workers: parallel/foreach (the executor ends them) and subflows (their child's end does).
    const flowable = definitionOf(task).kind !== "runnable";
    const run: NewTaskRun = {
      id: randomUUID(),
      executionId: execution.id,
      taskId: task.id,
      path,
      value: value === undefined ? null : value,
      attempt,
      flowable,
      needsWarehouse: needsWarehouse(task),
      state: flowable ? "RUNNING" : attempt > 1 ? "RETRYING" : "CREATED",
      ...extra,
    };
    decision.insert.push(run);
    const row: TaskRunRow = {
      id: run.id, taskId: run.taskId, path, value: run.value, attempt, flowable, state: run.state, outputs: run.outputs ?? {}, error: run.error ?? null,
      createdAt: "", startedAt: null, endedAt: null,
    };
    latest.set(path, row);
    return row;
  };

  const endFlowable = (run: TaskRunRow, status: Status): Status => {
    if (status.kind === "running") return status;
    const state = status.kind === "success" ? "SUCCESS" : "FAILED";
    if (allowed("taskRun", run.state, state)) decision.endFlowables.push({ id: run.id, state, error: status.kind === "failed" ? status.error : null });
    return status;
  };

  const branches = (run: TaskRunRow, items: { started: boolean; evaluate: () => Status }[], limit: number | undefined): Status => {
    let active = 0;
    let failure: Status | undefined;
    for (const item of items.filter((i) => i.started)) {
      const s = item.evaluate();
      if (s.kind === "running") active++;
      else if (s.kind === "failed") failure ??= s;
    }
    // After a failure no new branch starts; the running ones finish.
    let pending = 0;
    for (const item of items.filter((i) => !i.started)) {
      if (failure || (limit !== undefined && active >= limit)) {
        pending++;
        continue;
      }
      const s = item.evaluate();
      if (s.kind === "running") active++;
      else if (s.kind === "failed") failure ??= s;
    }
    if (active > 0 || (pending > 0 && !failure)) return RUNNING;
    return endFlowable(run, failure ?? SUCCESS);
  };

  /** A core.subflow run, created RUNNING with its child to start in this round (or FAILED when its properties do not render). */
  const startSubflow = (task: Task, path: string, value: unknown, attempt: number): Status => {
    const def = definitionOf(task);
    if (def.kind !== "subflow") throw new Error(`${task.type} is not a subflow task`);
    let child: ReturnType<typeof def.child>;
    try {
      child = def.child(renderTask(task, scope(value)));
    } catch (error) {
      const message = (error as Error).message;
      create(task, path, value, attempt, { state: "FAILED", error: message });
      return { kind: "failed", error: `task ${path} failed: ${message}` };
    }
    const started = create(task, path, value, attempt);
    decision.subflows.push({ runId: started.id, path, ...child });
    return RUNNING;
  };

  /**
   * `retry` of a core.parallel / core.foreach whose run failed: its next attempt, and the
   * next attempt of every run below it whose latest attempt FAILED or was KILLED — the
   * runnable ones after the backoff (they wait for it in the queue), containers and
   * subflows at once; what succeeded keeps its outputs, a foreach its values. Attempt
   * numbers go on below it, so a child's own `retry.maxAttempts` counts its earlier attempts.
   */
  const retryContainer = (task: Task, run: TaskRunRow, path: string, value: unknown): boolean => {
    const retry = task.retry;
    if (!retry || run.attempt >= retry.maxAttempts) return false;
    // A foreach whose values did not render would fail the same way (its inputs are the same).
    if (task.type === "core.foreach" && !Array.isArray(run.outputs["values"])) return false;
    const delayMs = backoffMs(retry, run.attempt);
    const below = [...latest.values()].filter((r) => r.path.startsWith(`${path}/`) && (r.state === "FAILED" || r.state === "KILLED"));
    const keep = (r: TaskRunRow) => (Array.isArray(r.outputs["values"]) ? { outputs: { values: r.outputs["values"] } } : {});
    create(task, path, value, run.attempt + 1, keep(run));
    for (const r of below) {
      const inner = findTask(doc.tasks, r.taskId);
      if (!inner) continue;
      const kind = definitionOf(inner).kind;
      if (kind === "subflow") startSubflow(inner, r.path, r.value ?? undefined, r.attempt + 1);
      else create(inner, r.path, r.value ?? undefined, r.attempt + 1, kind === "runnable" ? { delayMs } : keep(r));
    }
    return true;
  };

  const one = (task: Task, path: string, value: unknown): Status => {
    const def = definitionOf(task);
    let run = latest.get(path);
    if (!run) {
      if (def.kind === "runnable") {
        create(task, path, value, 1);
        return RUNNING;
      }
      if (def.kind === "subflow") return startSubflow(task, path, value, 1);
      let values: unknown[] | undefined;
      if (task.type === "core.foreach") {
        try {
          values = foreachValues(typeof task.values === "string" ? renderString(task.values, scope(value), `${task.id}.values`) : task.values);
        } catch (error) {
          const message = (error as Error).message;
          create(task, path, value, 1, { state: "FAILED", error: message });
          return { kind: "failed", error: `task ${path} failed: ${message}` };
        }
      }
      run = create(task, path, value, 1, values ? { outputs: { values } } : {});
    }
    switch (run.state) {
      case "SUCCESS":
      case "WARNING":
        return SUCCESS;
      case "FAILED":
      case "KILLED": {
        const retry = def.kind === "runnable" && run.state === "FAILED" ? task.retry : undefined;
        if (retry && run.attempt < retry.maxAttempts) {
          create(task, path, value, run.attempt + 1, { delayMs: backoffMs(retry, run.attempt) });
          return RUNNING;
        }
        if (def.kind === "flowable" && run.state === "FAILED" && retryContainer(task, run, path, value)) return RUNNING;
        return { kind: "failed", error: `task ${path} failed${run.attempt > 1 ? ` after ${run.attempt} attempts` : ""}: ${run.error ?? run.state}` };
      }
      default:
        break;
    }
    if (def.kind !== "flowable") return RUNNING;
    const children = def.children(task).filter((t) => !t.disabled);
    const limit = def.concurrency(task);
    const current = run;
    let status: Status;
    if (task.type === "core.parallel") {
      status = branches(current, children.map((c) => ({ started: latest.has(`${path}/${c.id}`), evaluate: () => one(c, `${path}/${c.id}`, value) })), limit);
    } else {
      const values = (current.outputs["values"] as unknown[] | undefined) ?? [];
      const first = children[0];
      status = branches(
        current,
        values.map((v, i) => ({ started: first !== undefined && latest.has(`${path}/${i}/${first.id}`), evaluate: () => sequence(children, `${path}/${i}`, v) })),
        limit,
      );
    }
    // Ended FAILED just now (endFlowable): its retry, if attempts remain, starts in the same round.
    if (status.kind === "failed" && retryContainer(task, current, path, value)) return RUNNING;
    return status;
  };

  const sequence = (tasks: readonly Task[], prefix: string, value: unknown): Status => {
    for (const task of tasks) {
      if (task.disabled) continue;
      const s = one(task, prefix ? `${prefix}/${task.id}` : task.id, value);
      if (s.kind !== "success") return s;
    }
    return SUCCESS;
  };

  const status = sequence(doc.tasks, "", undefined);
  if (status.kind === "success") decision.end = { state: warned ? "WARNING" : "SUCCESS", error: null };
  else if (status.kind === "failed") decision.end = { state: "FAILED", error: status.error };
  return decision;
}

/** The wait before attempt `failedAttempt + 1`. */
export function backoffMs(retry: RetryPolicy, failedAttempt: number): number {
  const interval = durationMs(retry.interval);
  if (retry.type === "constant") return interval;
  const grown = interval * 2 ** (failedAttempt - 1);
  return retry.maxInterval ? Math.min(grown, durationMs(retry.maxInterval)) : grown;
}

/** Parsed sources of pinned revisions: a revision never changes, so it is parsed once. */
const parsedRevisions = new Map<string, FlowDocument | string>();
function parsedRevision(key: string, source: string): FlowDocument | string {
  let doc = parsedRevisions.get(key);
  if (doc === undefined) {
    const parsed = parseFlowSource(source);
    doc = parsed.ok ? parsed.document : `the flow revision no longer parses: ${parsed.problems.map((p) => p.message).join("; ")}`;
    if (parsedRevisions.size >= 2000) parsedRevisions.clear();
    parsedRevisions.set(key, doc);
  }
  return doc;
}
export function pinnedFlow(flowPk: string, revision: number, source: string): FlowDocument | string {
  return parsedRevision(`${flowPk}:${revision}`, source);
}

/** A decision round covers at most this many executions (one transaction, rows locked together). */
export const ADVANCE_BATCH = 100;

type Slot = { flowPk: string; limit: number };
type Locked = LockedBatch["executions"][number];

/**
 * Applies `decide` to executions, their rows locked while deciding (replicas take turns).
 * Many executions are decided in one round (`advanceMany`): one transaction, each kind of
 * change one statement for all of them — a worker's batch of completions touches many.
 */
export class Executor {
  constructor(
    private readonly executions: ExecutionRepository,
    private readonly logger: Logger,
    /** For core.subflow: its statements run in the decision's transaction. */
    private readonly followUps?: FlowTriggerRepository,
  ) {}

  /** Waiting for the next round, by execution id → its callers. */
  private waiting = new Map<string, { resolve: () => void; reject: (error: Error) => void }[]>();
  private draining = false;

  /**
   * Decides one execution in the next round: calls arriving while a round runs (3,000
   * API triggers at 3 AM) are decided together in the round after it, one transaction for
   * up to ADVANCE_BATCH of them, like a group commit. Resolves once its round committed
   * (and the follow-ups of that round: subflow children, freed slots).
   */
  advance(executionId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const callers = this.waiting.get(executionId);
      if (callers) callers.push({ resolve, reject });
      else this.waiting.set(executionId, [{ resolve, reject }]);
      this.kick();
    });
  }

  /** One drain at a time; a call that arrives as a drain finishes starts the next one. */
  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    void this.drain().finally(() => {
      this.draining = false;
      if (this.waiting.size > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.size > 0) {
      const batch = [...this.waiting].slice(0, ADVANCE_BATCH);
      for (const [id] of batch) this.waiting.delete(id);
      const ids = batch.map(([id]) => id);
      let failures = new Map<string, Error>();
      try {
        await this.round(ids);
      } catch (error) {
        if (ids.length === 1) failures.set(ids[0]!, error as Error);
        else failures = await this.oneByOne(ids, error as Error);
      }
      for (const [id, callers] of batch) {
        const failure = failures.get(id);
        for (const c of callers) failure ? c.reject(failure) : c.resolve();
      }
    }
  }

  /** After a failed round: each execution in a round of its own; answers the ones that failed. */
  private async oneByOne(ids: readonly string[], error: Error): Promise<Map<string, Error>> {
    this.logger.warn({ err: error.message, executions: ids.length }, "a decision round failed; deciding its executions one by one");
    const failures = new Map<string, Error>();
    for (const id of ids) await this.round([id]).catch((one: Error) => failures.set(id, one));
    return failures;
  }

  /**
   * Decides these executions now, in rounds of ADVANCE_BATCH (a worker's batch of
   * completions, the sweep, a round's follow-ups). One execution's problem does not hold
   * back the others: after a failed round each is decided alone; those failing again are
   * logged and left to the sweep. Never goes through advance()'s queue, so a round's
   * follow-ups cannot wait behind the drain that runs that round.
   */
  async advanceMany(executionIds: readonly string[]): Promise<void> {
    const ids = [...new Set(executionIds)];
    for (let i = 0; i < ids.length; i += ADVANCE_BATCH) {
      const chunk = ids.slice(i, i + ADVANCE_BATCH);
      const failures = await this.round(chunk).then(
        () => new Map<string, Error>(),
        (error: Error) => (chunk.length === 1 ? new Map([[chunk[0]!, error]]) : this.oneByOne(chunk, error)),
      );
      for (const [executionId, error] of failures) {
        this.logger.warn({ err: error.message, executionId }, "deciding the next step failed; the executor's sweep will retry");
      }
    }
  }

  /**
   * One round: every execution's decision applied with one statement per kind of change
   * (starts with each one's own flow timeout, task-run inserts, flowable ends, ends),
   * KILLING ones ended once their runs stopped, core.subflow children created in the same
   * transaction. After the commit: the children's first step, the parents whose subflow
   * run ended at once, and the executions queued behind a freed concurrency slot.
   */
  private async round(executionIds: readonly string[]): Promise<void> {
    const after = await this.executions.withLockedMany(executionIds, async (batch) => {
      const starts: ExecutionStart[] = [];
      const killing: Locked[] = [];
      const inserts: NewTaskRun[] = [];
      const endFlowables: Decision["endFlowables"] = [];
      const ends: { id: string; state: "SUCCESS" | "WARNING" | "FAILED"; error: string | null }[] = [];
      // Decided again after the commit: parents whose subflow run ended at once, restarts that took their slot.
      const settled: string[] = [];
      const subflows: { execution: Locked; starts: SubflowStart[] }[] = [];
      const slots = new Map<string, Slot>();
      const freed = new Map<string, Slot>();
      const ended = (id: string, state: string, error: string | null) => {
        recordEnd(this.logger.child({ executionId: id }), state, error);
        const slot = slots.get(id);
        if (slot) freed.set(slot.flowPk, slot);
      };
      for (const execution of batch.executions) {
        const doc = pinnedFlow(execution.flowPk, execution.flowRevision, execution.source);
        if (typeof doc === "string") {
          if (execution.state === "CREATED") starts.push({ id: execution.id, timeoutMs: null });
          if (execution.state === "CREATED" || execution.state === "RUNNING") ends.push({ id: execution.id, state: "FAILED", error: doc });
          continue;
        }
        if (doc.concurrency) slots.set(execution.id, { flowPk: execution.flowPk, limit: doc.concurrency.limit });
        // Killed (or timed out): it ends once its last running task run has stopped.
        if (execution.state === "KILLING") {
          killing.push(execution);
          continue;
        }
        const timeoutMs = doc.timeout ? durationMs(doc.timeout) : null;
        const runs = batch.taskRuns.get(execution.id) ?? [];
        // A restart (RETRYING, or QUEUED with runs of its first life) takes a concurrency slot
        // like a start; then its failed runs get their next attempts, decided next round.
        if (execution.state === "RETRYING" || (execution.state === "QUEUED" && runs.length > 0)) {
          if (doc.concurrency && (await this.holdOverLimit(batch, execution, doc.concurrency))) continue;
          starts.push({ id: execution.id, timeoutMs });
          inserts.push(...restartAttempts(execution.id, doc, runs));
          settled.push(execution.id);
          continue;
        }
        let state = execution.state;
        if ((state === "CREATED" || state === "QUEUED") && doc.concurrency) {
          // Decided and started here, in order: the next one's count must see this start.
          const held = await this.holdOverLimit(batch, execution, doc.concurrency);
          if (held) continue;
          await batch.start([{ id: execution.id, timeoutMs }]);
          state = "RUNNING";
        }
        const decision = decide({ ...execution, state }, doc, runs);
        if (decision.start) starts.push({ id: execution.id, timeoutMs });
        inserts.push(...decision.insert);
        endFlowables.push(...decision.endFlowables);
        if (decision.subflows.length > 0) subflows.push({ execution, starts: decision.subflows });
        if (decision.end) ends.push({ id: execution.id, ...decision.end });
      }
      for (const k of await batch.endKilling(killing.map((e) => e.id))) ended(k.id, k.state, null);
      await batch.start(starts);
      await batch.insertTaskRuns(inserts);
      await batch.endFlowables(endFlowables);
      const children: string[] = [];
      if (subflows.length > 0) {
        if (!this.followUps) throw new Error("this executor was built without the follow-up repository that core.subflow needs");
        for (const { execution, starts: calls } of subflows) {
          const started = await startSubflows(this.followUps, { client: batch.client, execution }, calls);
          children.push(...started.started);
          if (started.settled) settled.push(execution.id);
        }
      }
      const errors = new Map(ends.map((e) => [e.id, e.error]));
      for (const e of await batch.end(ends)) ended(e.id, e.state, errors.get(e.id) ?? null);
      return { children, settled, freed: [...freed.values()] };
    });
    // Children first (their first step), then the parents again whose subflow run ended at once (wait: false, or refused).
    if (after.children.length > 0) await this.advanceMany(after.children);
    if (after.settled.length > 0) await this.advanceMany(after.settled);
    // A slot came free: the oldest executions waiting for one take their turn.
    for (const slot of after.freed) await this.freeSlot(slot);
  }

  private async freeSlot(slot: Slot): Promise<void> {
    await this.advanceMany(await this.executions.queued(slot.flowPk, slot.limit));
  }

  /**
   * Kills an execution and, after it, the children it started (core.subflow), depth
   * first. Not started: KILLED at once. Started: KILLING, its unclaimed task runs KILLED,
   * the running ones stopped by their workers (NOTIFY; heartbeat as fallback), then
   * KILLED when the last has stopped. `timeout`: the sweep stops an execution past its
   * flow's `timeout` the same way, and it ends FAILED saying so. Answers the state it
   * was in (an ended one is left as it is).
   */
  async kill(executionId: string, cause: KillCause, reason: "kill" | "timeout" = "kill"): Promise<ExecutionState | undefined> {
    const outcome = await this.executions.withLocked(executionId, async (locked) => {
      if (!locked) return undefined;
      const { execution } = locked;
      const doc = pinnedFlow(execution.flowPk, execution.flowRevision, execution.source);
      const slot = typeof doc !== "string" && doc.concurrency ? { flowPk: execution.flowPk, limit: doc.concurrency.limit } : undefined;
      const error = reason === "timeout" ? `timed out after ${typeof doc === "string" ? "its timeout" : doc.timeout} (the flow's timeout)` : null;
      let ended: string | null = null;
      if (execution.state === "CREATED" || execution.state === "QUEUED") ended = (await locked.killPending(cause)) ? "KILLED" : null;
      else if (execution.state === "RUNNING" || execution.state === "RETRYING") {
        if (await locked.kill(error, cause)) ended = await locked.endKilling();
      }
      if (ended) recordEnd(this.logger.child({ executionId }), ended, error);
      return { state: execution.state, slot: ended ? slot : undefined };
    });
    if (!outcome) return undefined;
    if (!isTerminal(outcome.state)) {
      const childCause = cause ? { ...cause, why: `its parent execution ${executionId} was killed` } : null;
      for (const child of await this.executions.children(executionId)) await this.kill(child, childCause);
    }
    if (outcome.slot) await this.freeSlot(outcome.slot);
    return outcome.state;
  }

  /**
   * Restarts an ended FAILED or KILLED execution in place (RETRYING): once it has a
   * concurrency slot (round), the next attempt of each failed or killed task run
   * (restart.ts), the same pinned revision, then the usual decision. Answers the state it was in (only FAILED and KILLED restart).
   */
  async restart(executionId: string, actor: { subject: string; subjectKind: string; requestId?: string | undefined }): Promise<{ state: ExecutionState; restarted: boolean } | undefined> {
    const outcome = await this.executions.withLocked(executionId, async (locked) => {
      if (!locked) return undefined;
      const { state } = locked.execution;
      if (state !== "FAILED" && state !== "KILLED") return { state, restarted: false };
      const doc = pinnedFlow(locked.execution.flowPk, locked.execution.flowRevision, locked.execution.source);
      if (typeof doc === "string" || !(await locked.restart(actor))) return { state, restarted: false };
      return { state, restarted: true };
    });
    if (outcome?.restarted) await this.advance(executionId);
    return outcome;
  }

  /**
   * A flow's `concurrency` (held across replicas by the flow's lock): over the limit a
   * new execution waits QUEUED, or ends CANCELLED or FAILED; a queued one stays queued;
   * a restart waits QUEUED whatever the behavior.
   */
  private async holdOverLimit(batch: LockedBatch, execution: Locked, concurrency: NonNullable<FlowDocument["concurrency"]>): Promise<boolean> {
    const running = await batch.lockFlowConcurrency(execution.flowPk);
    if (running < concurrency.limit) return false;
    if (execution.state === "QUEUED") return true;
    if (execution.state === "RETRYING") {
      await batch.queueRestart(execution.id);
      return true;
    }
    const behavior = concurrency.behavior ?? "QUEUE";
    const why = `flow ${execution.namespace}/${execution.flowId} already runs ${running} execution${running === 1 ? "" : "s"}, its concurrency limit`;
    if (behavior === "QUEUE") await batch.hold(execution.id, "QUEUED", null);
    else {
      const state = behavior === "CANCEL" ? "CANCELLED" : "FAILED";
      if (await batch.hold(execution.id, state, `${why} (behavior ${behavior})`)) recordEnd(this.logger.child({ executionId: execution.id }), state, why);
    }
    return true;
  }
}

/** An execution's end, counted (GET /metrics) and logged: a failure at info with its error, a success at debug. */
function recordEnd(logger: Logger, state: string, error: string | null): void {
  countExecutionEnded(state);
  if (state === "SUCCESS" || state === "WARNING") logger.debug({ state }, "execution ended");
  else logger.info({ state, err: error }, "execution ended");
}
