import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "../logger.ts";

/**
 * The orchestrator's Prometheus metrics, served by GET /metrics beside the HTTP ones
 * (http/app.ts merges this registry in). One registry per process, at module level, so
 * that any part of the orchestrator (workers, executor, triggers) records without being
 * handed an object: prom-client's own default is a global registry too.
 *
 * What is counted where, and why it stays cheap:
 * - executions by state: the executions that have not ended, counted at scrape by one
 *   statement over the partial index of unended executions (never a scan of the
 *   history); ends are counted by the process that decides them
 *   (`meshplane_executions_ended_total`, summed over processes by Prometheus);
 * - queue depth: claimable task runs, counted over the claim index at scrape;
 * - task-run duration by task type and end state, observed by the worker that ran it;
 * - worker utilisation: busy slots / slots of this process;
 * - trigger latency: upstream end → downstream execution created, observed by the
 *   flow triggers through `observeTriggerLatency`.
 */
export const orchestratorRegistry = new Registry();

export const ACTIVE_EXECUTION_STATES = ["CREATED", "QUEUED", "RUNNING", "RETRYING", "KILLING"] as const;

export interface ExecutionSnapshot {
  /** Unended executions by state. */
  readonly executions: Record<string, number>;
  /** Task runs a worker could claim now. */
  readonly claimable: number;
}

let snapshotSource: (() => Promise<ExecutionSnapshot>) | undefined;
let snapshotLogger: Logger | undefined;
let workerSlots: (() => { busy: number; slots: number }) | undefined;

/** Where the scrape reads executions by state and queue depth (the process's own pool). */
export function setExecutionSnapshot(source: (() => Promise<ExecutionSnapshot>) | undefined, logger?: Logger): void {
  snapshotSource = source;
  snapshotLogger = logger;
}

/** The busy and total slots of this process's workers (undefined: it runs none). */
export function setWorkerSlots(source: (() => { busy: number; slots: number }) | undefined): void {
  workerSlots = source;
}

/** One query per scrape, shared by the two gauges that read it (a scrape collects them together). */
let pending: Promise<ExecutionSnapshot | undefined> | undefined;
function snapshot(): Promise<ExecutionSnapshot | undefined> {
  if (!snapshotSource) return Promise.resolve(undefined);
  pending ??= snapshotSource()
    .catch((error: Error) => {
      // A scrape must still answer when the database does not: the gauges keep their last values.
      snapshotLogger?.warn({ err: error.message }, "metrics: cannot count executions and queued task runs");
      return undefined;
    })
    .finally(() => (pending = undefined));
  return pending;
}

new Gauge({
  name: "meshplane_executions",
  help: "Executions that have not ended, by state (the whole database, counted at scrape)",
  labelNames: ["state"],
  registers: [orchestratorRegistry],
  async collect() {
    const s = await snapshot();
    if (!s) return;
    for (const state of ACTIVE_EXECUTION_STATES) this.set({ state }, s.executions[state] ?? 0);
  },
});

new Gauge({
  name: "meshplane_queue_depth",
  help: "Task runs claimable by a worker now (the whole database, counted at scrape)",
  registers: [orchestratorRegistry],
  async collect() {
    const s = await snapshot();
    if (s) this.set(s.claimable);
  },
});

const ended = new Counter({
  name: "meshplane_executions_ended_total",
  help: "Executions this process ended, by end state",
  labelNames: ["state"],
  registers: [orchestratorRegistry],
});

const taskRunDuration = new Histogram({
  name: "meshplane_task_run_duration_seconds",
  help: "How long task runs took on this process's workers, by task type and end state",
  labelNames: ["task_type", "state"],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [orchestratorRegistry],
});

const triggerLatency = new Histogram({
  name: "meshplane_trigger_latency_seconds",
  help: "Flow triggers: from the upstream execution's end to the downstream execution's creation",
  // The targets: p50 ≤ 50 ms, p99 ≤ 500 ms.
  buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [orchestratorRegistry],
});

new Gauge({
  name: "meshplane_worker_slots",
  help: "Task runs this process's workers may run at once (MESHPLANE_WORKER_CONCURRENCY)",
  registers: [orchestratorRegistry],
  collect() {
    this.set(workerSlots?.().slots ?? 0);
  },
});

new Gauge({
  name: "meshplane_worker_busy_slots",
  help: "Task runs this process's workers are running now",
  registers: [orchestratorRegistry],
  collect() {
    this.set(workerSlots?.().busy ?? 0);
  },
});

new Gauge({
  name: "meshplane_worker_utilisation_ratio",
  help: "Busy slots / slots of this process's workers (0 without workers)",
  registers: [orchestratorRegistry],
  collect() {
    const s = workerSlots?.();
    this.set(s && s.slots > 0 ? s.busy / s.slots : 0);
  },
});

export function countExecutionEnded(state: string): void {
  ended.inc({ state });
}

export function observeTaskRun(taskType: string, state: string, seconds: number): void {
  taskRunDuration.observe({ task_type: taskType, state }, seconds);
}

/** For the flow triggers: seconds from the upstream execution's end to the downstream one's creation. */
export function observeTriggerLatency(seconds: number): void {
  triggerLatency.observe(seconds);
}
