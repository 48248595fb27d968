import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.ts";
import type { ClaimedTaskRun, ExecutionRepository, LogLine, RunContextRow, TaskRunResult } from "../repositories/execution-repository.ts";
import { definitionOf, findTask } from "../tasks/registry.ts";
import { durationMs, TaskFailure, type LogLevel, type TaskOutputs } from "../tasks/task-definition.ts";
import { pinnedFlow, type Executor } from "./executor.ts";
import { observeTaskRun } from "./metrics.ts";
import { renderTask, triggerVariables } from "./templates.ts";
import type { Warehouse } from "../warehouse/warehouse.ts";
import type { WakeListener } from "./wake.ts";

export interface WorkerOptions {
  readonly id: string;
  /** Task runs at once. */
  readonly concurrency: number;
  /** A claim not renewed for this long is resubmitted (see resubmit-expired-task-runs.sql). */
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  /** The fallback when no wake-up arrives. */
  readonly pollMs: number;
  /** This process's warehouse: with one, the worker also claims sql.query runs (claim-task-runs.sql). */
  readonly warehouse?: Warehouse;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, "id"> = { concurrency: 8, leaseMs: 30_000, heartbeatMs: 10_000, pollMs: 1_000 };

interface Active {
  readonly leaseId: string;
  readonly executionId: string;
  readonly abort: AbortController;
}

/** Stopping the process, not the task's fault: such a run is left to its lease and resubmitted. */
class WorkerStopping extends Error {}

/** A kill reached the run (its execution was killed or timed out): it ends KILLED. */
class KillRequested extends Error {}

/**
 * Claims task runs from PostgreSQL up to its free slots (one UPDATE … SKIP LOCKED),
 * holds them under a lease renewed by a heartbeat, runs each through its task type's
 * executor, and records the results in batches (logs first, then the completions),
 * after which the executor decides what comes next in each execution touched.
 */
export class Worker {
  private readonly active = new Map<string, Active>();
  /**
   * Finished runs whose results are not recorded yet, by id → lease: their slot is free
   * (a finished task no longer runs), but their lease is still renewed until the result
   * is recorded, so a slow database never gets a finished run resubmitted.
   */
  private readonly recording = new Map<string, string>();
  private results: TaskRunResult[] = [];
  private logs: LogLine[] = [];
  private flushing: Promise<void> | undefined;
  private flushAgain = false;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private unsubscribeKills: (() => void) | undefined;

  constructor(
    private readonly executions: ExecutionRepository,
    private readonly executor: Executor,
    private readonly wake: WakeListener,
    private readonly logger: Logger,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    this.unsubscribe = this.wake.onWake(() => this.wakeUp?.());
    this.unsubscribeKills = this.wake.onKill((executionId) => void this.checkKills(executionId));
    this.heartbeat = setInterval(() => void this.renewLeases(), this.options.heartbeatMs);
    this.heartbeat.unref();
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets running task runs finish within `graceMs`, then aborts the rest (they are resubmitted). */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribeKills?.();
    this.wakeUp?.();
    await this.loopDone;
    const deadline = Date.now() + graceMs;
    while (this.active.size > 0 && Date.now() < deadline) await sleep(20);
    for (const entry of this.active.values()) entry.abort.abort(new WorkerStopping("the worker is stopping"));
    await this.flush();
    clearInterval(this.heartbeat);
  }

  get running(): number {
    return this.active.size;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const free = this.options.concurrency - this.active.size;
      let found = 0;
      if (free > 0) {
        const leaseId = randomUUID();
        let claimed: ClaimedTaskRun[] = [];
        try {
          claimed = await this.executions.claim(this.options.id, leaseId, free, this.options.leaseMs, this.options.warehouse !== undefined);
        } catch (error) {
          this.logger.warn({ err: (error as Error).message, worker: this.options.id }, "claiming task runs failed; trying again");
        }
        found = claimed.length;
        if (claimed.length > 0) {
          void this.launch(claimed, leaseId);
          if (claimed.length === free) continue;
        }
      }
      // Only when idle: during a burst the claim itself is the poll, and NOTIFY wakes us.
      const waitMs = free > 0 && found === 0 && !this.stopping ? await this.untilNextDue() : this.options.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /** The poll interval, or less when a retry's backoff ends sooner (an insert's NOTIFY wakes us before its run is due). */
  private async untilNextDue(): Promise<number> {
    // A failed probe costs only precision: the poll interval is the fallback.
    const inMs = await this.executions.nextClaimableInMs(this.options.warehouse !== undefined).catch(() => undefined);
    return inMs === undefined ? this.options.pollMs : Math.min(this.options.pollMs, Math.max(inMs, 5));
  }

  private async launch(claimed: ClaimedTaskRun[], leaseId: string): Promise<void> {
    for (const c of claimed) this.active.set(c.id, { leaseId, executionId: c.executionId, abort: new AbortController() });
    let contexts: Map<string, RunContextRow>;
    try {
      contexts = new Map((await this.executions.runContext([...new Set(claimed.map((c) => c.executionId))])).map((r) => [r.id, r]));
    } catch (error) {
      // Left to the lease: another worker (or this one) runs them after it expires.
      this.logger.warn({ err: (error as Error).message }, "cannot read the context of claimed task runs; they will be resubmitted");
      for (const c of claimed) this.active.delete(c.id);
      return;
    }
    for (const c of claimed) void this.runOne(c, leaseId, contexts.get(c.executionId));
  }

  private async runOne(claim: ClaimedTaskRun, leaseId: string, context: RunContextRow | undefined): Promise<void> {
    const entry = this.active.get(claim.id)!;
    const lines: LogLine[] = [];
    const log = (level: LogLevel, message: string) => lines.push({ executionId: claim.executionId, taskRunId: claim.id, at: new Date().toISOString(), level, message });
    // The process's JSON log names the execution and the task run, like the execution's own log.
    const logger = this.logger.child({ executionId: claim.executionId, taskRunId: claim.id });
    const begun = performance.now();
    let taskType = "unknown";
    let timeout: { signal: AbortSignal; text: string } | undefined;
    let result: Omit<TaskRunResult, "id" | "leaseId">;
    try {
      if (!context) throw new TaskFailure("its execution no longer exists");
      const doc = pinnedFlow(context.flowPk, context.flowRevision, context.source);
      if (typeof doc === "string") throw new TaskFailure(doc);
      const task = findTask(doc.tasks, claim.taskId);
      if (!task) throw new TaskFailure(`task ${claim.taskId} is not in revision ${context.flowRevision} of the flow`);
      const def = definitionOf(task);
      taskType = task.type;
      if (def.kind !== "runnable") throw new TaskFailure(`task ${claim.taskId} (${task.type}) is not run by workers`);
      if (task.timeout) timeout = { signal: AbortSignal.timeout(durationMs(task.timeout)), text: task.timeout };
      const signal = timeout ? AbortSignal.any([entry.abort.signal, timeout.signal]) : entry.abort.signal;
      const rendered = renderTask(task, {
        inputs: context.inputs,
        execution: { id: context.id, namespace: context.namespace, flowId: context.flowId, flowRevision: context.flowRevision, labels: context.labels },
        outputs: context.outputs,
        trigger: triggerVariables(context.trigger),
        taskrun: { id: claim.id, value: claim.value, attempt: claim.attempt },
      });
      const outputs: TaskOutputs = await untilAborted(
        def.execute({
          task: rendered,
          logger: { log },
          signal,
          execution: { id: context.id, namespace: context.namespace, flowId: context.flowId, flowRevision: context.flowRevision },
          taskRun: { id: claim.id, attempt: claim.attempt, value: claim.value },
          ...(this.options.warehouse ? { warehouse: this.options.warehouse } : {}),
          findContract: (table) => this.executions.findContract(table.dataset, table.table),
        }),
        signal,
      );
      result = { state: "SUCCESS", outputs: outputs ?? {}, error: null };
    } catch (error) {
      if (entry.abort.signal.reason instanceof WorkerStopping) {
        this.active.delete(claim.id);
        return;
      }
      if (entry.abort.signal.reason instanceof KillRequested) {
        log("WARN", entry.abort.signal.reason.message);
        this.results.push({ id: claim.id, leaseId, state: "KILLED", outputs: {}, error: entry.abort.signal.reason.message });
        this.logs.push(...lines);
        this.recording.set(claim.id, leaseId);
        this.active.delete(claim.id);
        this.wakeUp?.();
        await this.flush();
        return;
      }
      const message = timeout?.signal.aborted
        ? `timed out after ${timeout.text} (the task's timeout)`
        : error instanceof TaskFailure
          ? error.message
          : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
      log("ERROR", message);
      logger.warn({ taskId: claim.taskId, taskType, attempt: claim.attempt, err: message }, "task run failed");
      result = { state: "FAILED", outputs: {}, error: message };
    }
    observeTaskRun(taskType, result.state, (performance.now() - begun) / 1000);
    this.results.push({ id: claim.id, leaseId, ...result });
    this.logs.push(...lines);
    this.recording.set(claim.id, leaseId);
    this.active.delete(claim.id);
    // The slot is free now: claim more while this result waits for the next batch.
    this.wakeUp?.();
    await this.flush();
  }

  /** One batch at a time: results arriving meanwhile go in the next. */
  private flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        const results = this.results;
        const logs = this.logs;
        if (results.length === 0 && logs.length === 0) break;
        this.results = [];
        this.logs = [];
        try {
          await this.executions.insertLogs(logs);
          const recorded = await this.executions.complete(results);
          for (const r of results) this.recording.delete(r.id);
          // One decision round for every execution this batch touched.
          await this.executor.advanceMany(recorded.map((r) => r.executionId)).catch((error: Error) =>
            this.logger.warn({ err: error.message, executions: recorded.length }, "deciding the next steps failed; the executor's sweep will retry"),
          );
        } catch (error) {
          // Keep them (their leases still run) and try again shortly.
          this.logger.warn({ err: (error as Error).message }, "recording task-run results failed; retrying");
          this.results.unshift(...results);
          this.logs.unshift(...logs);
          await sleep(500);
          if (this.stopping && this.active.size === 0 && this.recording.size === 0) break;
          this.flushAgain = true;
        }
      } while (this.flushAgain);
    })().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async renewLeases(): Promise<void> {
    // Finished runs still being recorded keep their lease too (see `recording`).
    const leases = [...new Set([...[...this.active.values()].map((a) => a.leaseId), ...this.recording.values()])];
    const killing = await this.executions.heartbeat(this.options.id, leases, this.options.leaseMs).catch((error: Error) => {
      this.logger.warn({ err: error.message, worker: this.options.id }, "renewing task-run leases failed");
      return [];
    });
    this.abortKilled(killing);
  }

  /** A kill's NOTIFY: which of the runs this worker holds for that execution did it reach? */
  private async checkKills(executionId: string): Promise<void> {
    const held = [...this.active].filter(([, a]) => a.executionId === executionId).map(([id]) => id);
    if (held.length === 0) return;
    const killing = await this.executions.killingAmong(held).catch((error: Error) => {
      // The heartbeat hears it too, a little later.
      this.logger.warn({ err: error.message, executionId }, "checking killed task runs failed; the next heartbeat will");
      return [];
    });
    this.abortKilled(killing);
  }

  private abortKilled(taskRunIds: readonly string[]): void {
    for (const id of taskRunIds) {
      const entry = this.active.get(id);
      if (entry && !entry.abort.signal.aborted) entry.abort.abort(new KillRequested("killed: its execution was killed or timed out"));
    }
  }
}

/** A task that ignores its signal must not hold the worker past a timeout or kill. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
