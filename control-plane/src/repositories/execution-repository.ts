import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";
import { inTransaction } from "../db/pg-transaction.ts";
import { ISO_TIMESTAMP_TYPES } from "../db/pg-timestamps.ts";
import type { Pool } from "../db/prisma.ts";
import type { ExecutionState, TaskRunState } from "../orchestrator/states.ts";
import type { TableSchema } from "../tables/bq-types.ts";
import type { FeedType, TableContractView } from "../warehouse/warehouse.ts";

/**
 * The only code touching the execution tables. Every state change is one statement of
 * src/sql/executions (one file per change, read once), run as a named prepared
 * statement like the flow statements (see db/prisma.ts): each connection plans it once.
 */
export const EXECUTION_SQL_DIR = new URL("../sql/executions/", import.meta.url);
const SQL: Record<string, string> = Object.fromEntries(
  readdirSync(EXECUTION_SQL_DIR)
    .filter((f) => f.endsWith(".sql"))
    .map((f) => [f.slice(0, -4), readFileSync(new URL(f, EXECUTION_SQL_DIR), "utf8")]),
);

export type Queryable = Pool | pg.PoolClient;

/** Runs one statement of src/sql/executions (also for the follow-up handler's transactions, repositories/follow-up-repository.ts). */
export async function run<T extends object>(db: Queryable, name: string, values: unknown[]): Promise<T[]> {
  const text = SQL[name];
  if (text === undefined) throw new Error(`no SQL file src/sql/executions/${name}.sql`);
  return (await db.query<T>({ name: `meshplane_x_${name.replaceAll("-", "_")}`, text, values, types: ISO_TIMESTAMP_TYPES })).rows;
}

export interface TriggerInfo {
  readonly type: "api" | "schedule" | "flow" | "subflow" | "restart";
  readonly subject?: string;
  readonly triggerId?: string;
  readonly scheduledFor?: string;
  readonly upstream?: readonly { executionId: string; namespace: string; flowId: string; state: string }[];
}

export interface ExecutionRow {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: ExecutionState;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  trigger: TriggerInfo;
  parentExecutionId: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface TaskRunRow {
  id: string;
  taskId: string;
  path: string;
  value: unknown;
  attempt: number;
  flowable: boolean;
  state: TaskRunState;
  outputs: Record<string, unknown>;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface NewTaskRun {
  id: string;
  executionId: string;
  taskId: string;
  path: string;
  value?: unknown;
  attempt: number;
  flowable: boolean;
  /** sql.query: only a worker holding the warehouse claims it (claim-task-runs.sql). */
  needsWarehouse?: boolean;
  state: "CREATED" | "RETRYING" | "RUNNING" | "FAILED";
  delayMs?: number;
  error?: string;
  /** A foreach run keeps its resolved values here ({values}). */
  outputs?: Record<string, unknown>;
}

export interface ClaimedTaskRun {
  id: string;
  executionId: string;
  taskId: string;
  path: string;
  value: unknown;
  attempt: number;
}

export interface TaskRunResult {
  id: string;
  leaseId: string;
  /** KILLED: the worker stopped it after a kill (end-killed-task-runs.sql records it). */
  state: "SUCCESS" | "WARNING" | "FAILED" | "KILLED";
  outputs: Record<string, unknown>;
  error: string | null;
}

export interface LogLine {
  executionId: string;
  taskRunId: string | null;
  at: string;
  level: string;
  message: string;
}

export interface RunContextRow {
  id: string;
  namespace: string;
  flowId: string;
  flowPk: string;
  flowRevision: number;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  trigger: TriggerInfo;
  source: string;
  outputs: Record<string, Record<string, unknown>>;
}

/** The decision's view of one execution, with its row locked until the transaction ends. */
export interface LockedExecution {
  readonly execution: ExecutionRow & { source: string; flowPk: string };
  /** The transaction's connection, for statements of other repositories that must commit with the decision (a subflow's child). */
  readonly client: pg.PoolClient;
  readonly taskRuns: readonly TaskRunRow[];
  /** CREATED, QUEUED or RETRYING → RUNNING; the flow's timeout (ms, null: none) counts from now. */
  start(timeoutMs?: number | null): Promise<boolean>;
  /** A kill before the start: CREATED or QUEUED → KILLED at once. */
  killPending(by: KillCause): Promise<boolean>;
  /**
   * A kill (or a flow timeout, `error` saying so) of a started execution: → KILLING, its
   * unclaimed task runs KILLED, the running ones KILLING (workers are told). Answers
   * false if it was not RUNNING or RETRYING.
   */
  kill(error: string | null, by: KillCause): Promise<boolean>;
  /** KILLING → KILLED (FAILED after a timeout) once no task run is left running. */
  /** The state it ended in (KILLED, or FAILED after a timeout), or null while runs still stop. */
  endKilling(): Promise<"KILLED" | "FAILED" | null>;
  /** FAILED or KILLED → RETRYING, audited; its next attempts are inserted when it takes its concurrency slot (the executor's round). */
  restart(actor: { subject: string; subjectKind: string; requestId?: string | undefined }): Promise<boolean>;
  /** Takes the flow's concurrency lock (until the transaction ends) and answers how many of its executions run. */
  lockFlowConcurrency(): Promise<number>;
  hold(state: "QUEUED" | "CANCELLED" | "FAILED", error: string | null): Promise<boolean>;
  end(state: "SUCCESS" | "WARNING" | "FAILED", error: string | null): Promise<boolean>;
  insertTaskRuns(runs: readonly NewTaskRun[]): Promise<number>;
  endFlowables(ends: readonly { id: string; state: "SUCCESS" | "FAILED"; error: string | null }[]): Promise<number>;
}

/** One execution's start in a round: the timeout of its own pinned revision (ms, null: none). */
export type ExecutionStart = { id: string; timeoutMs: number | null };

/** A decision round's view of many executions (see withLockedMany): each change is one statement for all of them. */
export interface LockedBatch {
  /** The executions that exist, locked until the transaction ends. */
  readonly executions: readonly (ExecutionRow & { source: string; flowPk: string })[];
  readonly taskRuns: ReadonlyMap<string, readonly TaskRunRow[]>;
  /** The transaction's connection, for statements of other repositories that must commit with the round (a subflow's child). */
  readonly client: pg.PoolClient;
  /** CREATED, QUEUED or RETRYING → RUNNING, each one's timeout counted from now; answers how many started. */
  start(starts: readonly ExecutionStart[]): Promise<number>;
  /** KILLING → KILLED (FAILED after a timeout) for those with no task run left running; answers the ended ones and their end state. */
  endKilling(ids: readonly string[]): Promise<{ id: string; state: "KILLED" | "FAILED" }[]>;
  killPending(id: string, by: KillCause): Promise<boolean>;
  kill(id: string, error: string | null, by: KillCause): Promise<boolean>;
  restart(id: string, actor: { subject: string; subjectKind: string; requestId?: string | undefined }): Promise<boolean>;
  lockFlowConcurrency(flowPk: string): Promise<number>;
  hold(id: string, state: "QUEUED" | "CANCELLED" | "FAILED", error: string | null): Promise<boolean>;
  /** RETRYING → QUEUED: a restart waiting for a concurrency slot. */
  queueRestart(id: string): Promise<boolean>;
  /** Answers the executions that ended (a row no longer RUNNING is left as it is). */
  end(ends: readonly { id: string; state: "SUCCESS" | "WARNING" | "FAILED"; error: string | null }[]): Promise<{ id: string; state: "SUCCESS" | "WARNING" | "FAILED" }[]>;
  insertTaskRuns(runs: readonly NewTaskRun[]): Promise<number>;
  endFlowables(ends: readonly { id: string; state: "SUCCESS" | "FAILED"; error: string | null }[]): Promise<number>;
}

/** Who asked for a kill (audited), or null for a cascade or a timeout; `why` goes into the audit record. */
export type KillCause = { subject: string; subjectKind: string; requestId?: string | undefined; why: string } | null;

type Raw = Record<string, any>;

const executionOf = (r: Raw): ExecutionRow => ({
  id: r["id"],
  namespace: r["namespace"],
  flowId: r["flow_id"],
  flowRevision: r["flow_revision"],
  state: r["state"],
  inputs: r["inputs"] ?? {},
  labels: r["labels"] ?? {},
  trigger: r["trigger"],
  parentExecutionId: r["parent_execution_id"] ?? null,
  error: r["error"] ?? null,
  createdAt: r["created_at"],
  startedAt: r["started_at"] ?? null,
  endedAt: r["ended_at"] ?? null,
});

const taskRunOf = (r: Raw): TaskRunRow => ({
  id: r["id"],
  taskId: r["task_id"],
  path: r["path"],
  value: r["value"] ?? null,
  attempt: r["attempt"],
  flowable: r["flowable"],
  state: r["state"],
  outputs: r["outputs"] ?? {},
  error: r["error"] ?? null,
  createdAt: r["created_at"],
  startedAt: r["started_at"] ?? null,
  endedAt: r["ended_at"] ?? null,
});

export interface NewExecution {
  id: string;
  namespace: string;
  flowId: string;
  revision: number;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  trigger: TriggerInfo;
  subject: string;
  subjectKind: string;
  requestId: string | undefined;
  /** A subflow's child: the parent execution and the task run that waits for it. */
  parent?: { executionId: string; taskRunId: string };
}

/** Null when the flow is no longer live, enabled and at `revision`. On a pool, or inside a transaction (the client). */
export async function createExecution(db: Queryable, cmd: NewExecution): Promise<string | null> {
  const rows = await run<{ id: string }>(db, "create-execution", [
    cmd.id, cmd.namespace, cmd.flowId, cmd.revision, JSON.stringify(cmd.inputs), JSON.stringify(cmd.labels), JSON.stringify(cmd.trigger),
    cmd.subject, cmd.subjectKind, cmd.requestId ?? null, cmd.parent?.executionId ?? null, cmd.parent?.taskRunId ?? null,
  ]);
  return rows[0]?.id ?? null;
}

export class ExecutionRepository {
  constructor(private readonly pool: Pool) {}

  /** Null when the flow is no longer live, enabled and at `revision`. */
  async create(cmd: Omit<NewExecution, "parent">): Promise<string | null> {
    return createExecution(this.pool, cmd);
  }

  async get(id: string): Promise<ExecutionRow | null> {
    const rows = await run<Raw>(this.pool, "get-execution", [id]);
    return rows[0] ? executionOf(rows[0]) : null;
  }

  async taskRuns(executionId: string): Promise<TaskRunRow[]> {
    return (await run<Raw>(this.pool, "list-task-runs", [executionId])).map(taskRunOf);
  }

  async events(executionId: string): Promise<{ taskRunId: string | null; from: string | null; to: string; at: string }[]> {
    const rows = await run<Raw>(this.pool, "list-execution-events", [executionId]);
    return rows.map((r) => ({ taskRunId: r["task_run_id"] ?? null, from: r["from_state"] ?? null, to: r["to_state"], at: r["at"] }));
  }

  async list(filter: {
    namespace: string | undefined;
    flowId: string | undefined;
    state: string | undefined;
    since?: string | undefined;
    until?: string | undefined;
    labels?: Readonly<Record<string, string>> | undefined;
    before: { createdAt: string; id: string } | undefined;
    take: number;
  }): Promise<ExecutionRow[]> {
    const rows = await run<Raw>(this.pool, "list-executions", [
      filter.namespace ?? "", filter.flowId ?? "", filter.state ?? "", filter.before?.createdAt ?? null, filter.before?.id ?? null, filter.take,
      filter.since ?? null, filter.until ?? null, JSON.stringify(filter.labels ?? {}),
    ]);
    return rows.map(executionOf);
  }

  async logs(executionId: string, filter: { afterId: number; taskRunId: string | undefined; levels: readonly string[] | undefined; take: number }) {
    const rows = await run<Raw>(this.pool, "list-execution-logs", [executionId, filter.afterId, filter.taskRunId ?? null, filter.levels ?? null, filter.take]);
    return rows.map((r) => ({ id: Number(r["id"]), taskRunId: (r["task_run_id"] as string | null) ?? null, time: r["at"] as string, level: r["level"] as string, message: r["message"] as string }));
  }

  /** `decide` runs with the execution's row locked; what it changes commits together. */
  async withLocked<T>(executionId: string, decide: (locked: LockedExecution | null) => Promise<T>): Promise<T> {
    return this.withLockedMany([executionId], (batch) => {
      const execution = batch.executions[0];
      if (!execution) return decide(null);
      return decide({
        execution,
        client: batch.client,
        taskRuns: batch.taskRuns.get(execution.id) ?? [],
        start: async (timeoutMs = null) => (await batch.start([{ id: executionId, timeoutMs }])) > 0,
        killPending: (by) => batch.killPending(executionId, by),
        kill: (error, by) => batch.kill(executionId, error, by),
        endKilling: async () => (await batch.endKilling([executionId]))[0]?.state ?? null,
        restart: (actor) => batch.restart(executionId, actor),
        lockFlowConcurrency: () => batch.lockFlowConcurrency(execution.flowPk),
        hold: (state, error) => batch.hold(executionId, state, error),
        end: async (state, error) => (await batch.end([{ id: executionId, state, error }])).length > 0,
        insertTaskRuns: batch.insertTaskRuns,
        endFlowables: batch.endFlowables,
      });
    });
  }

  /**
   * One decision round over many executions in one transaction: their rows locked (in id
   * order), their task runs read in one statement, and each change applied to all of them
   * in one statement. A worker's batch of completions touches many executions at once;
   * deciding them one transaction each cost ~7 round trips per execution.
   */
  async withLockedMany<T>(executionIds: readonly string[], decide: (locked: LockedBatch) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
    const ids = [...new Set(executionIds)];
    const executions = (await run<Raw>(client, "lock-execution", [ids])).map((r) => ({ ...executionOf(r), source: r["source"] as string, flowPk: r["flow_pk"] as string }));
    const taskRuns = new Map<string, TaskRunRow[]>(executions.map((e) => [e.id, []]));
    if (executions.length > 0) {
      for (const r of await run<Raw>(client, "list-task-runs-of-executions", [executions.map((e) => e.id)])) taskRuns.get(r["execution_id"])?.push(taskRunOf(r));
    }
    return decide({
      executions,
      taskRuns,
      client,
      start: async (starts) => (starts.length === 0 ? 0 : (await run(client, "start-execution", [JSON.stringify(starts)])).length),
      endKilling: async (killing) =>
        killing.length === 0 ? [] : (await run<{ execution_id: string; state: "KILLED" | "FAILED" }>(client, "end-killing-execution", [killing])).map((r) => ({ id: r.execution_id, state: r.state })),
      killPending: async (id, by) => (await run(client, "kill-pending-execution", [id, by?.subject ?? null, by?.subjectKind ?? null, by?.requestId ?? null, by?.why ?? null])).length > 0,
      kill: async (id, error, by) => {
        const killed = (await run(client, "kill-execution", [id, error, by?.subject ?? null, by?.subjectKind ?? null, by?.requestId ?? null, by?.why ?? null])).length > 0;
        if (killed) {
          await run(client, "kill-task-runs", [id]);
          await run(client, "stop-task-runs", [id]);
        }
        return killed;
      },
      restart: async (id, actor) => (await run(client, "restart-execution", [id, actor.subject, actor.subjectKind, actor.requestId ?? null])).length > 0,
      lockFlowConcurrency: async (flowPk) => {
        await run(client, "lock-flow-concurrency", [flowPk]);
        return (await run<{ running: number }>(client, "count-running-executions", [flowPk]))[0]!.running;
      },
      hold: async (id, state, error) => (await run(client, "hold-execution", [id, state, error])).length > 0,
      queueRestart: async (id) => (await run(client, "queue-restarted-execution", [id])).length > 0,
      end: async (ends) =>
        ends.length === 0 ? [] : (await run<{ execution_id: string; state: "SUCCESS" | "WARNING" | "FAILED" }>(client, "end-execution", [JSON.stringify(ends)])).map((r) => ({ id: r.execution_id, state: r.state })),
      insertTaskRuns: async (runs) => (runs.length === 0 ? 0 : (await run<{ inserted: number }>(client, "insert-task-runs", [JSON.stringify(runs)]))[0]!.inserted),
      endFlowables: async (ends) => (ends.length === 0 ? 0 : (await run(client, "end-flowable-task-runs", [JSON.stringify(ends)])).length),
    });
    });
  }

  /** The live contract of `dataset.table` (the sql.query gate), or undefined. */
  async findContract(dataset: string, table: string): Promise<TableContractView | undefined> {
    const row = (await run<{ namespace: string; dataset: string; table: string; version: string; schema: TableSchema; feed_type: FeedType; keys: string[] }>(this.pool, "find-table-contract", [dataset, table]))[0];
    return row && { namespace: row.namespace, dataset: row.dataset, table: row.table, version: row.version, schema: row.schema, feedType: row.feed_type, keys: row.keys };
  }

  async claim(workerId: string, leaseId: string, slots: number, leaseMs: number, hasWarehouse = false): Promise<ClaimedTaskRun[]> {
    const rows = await run<Raw>(this.pool, "claim-task-runs", [workerId, leaseId, slots, leaseMs, hasWarehouse]);
    return rows.map((r) => ({ id: r["id"], executionId: r["execution_id"], taskId: r["task_id"], path: r["path"], value: r["value"] ?? null, attempt: r["attempt"] }));
  }

  /** Milliseconds until the next task run this worker may claim is due; undefined when none waits (next-claimable-in.sql). */
  async nextClaimableInMs(hasWarehouse = false): Promise<number | undefined> {
    const rows = await run<Raw>(this.pool, "next-claimable-in", [hasWarehouse]);
    return rows[0] ? Number(rows[0]["in_ms"]) : undefined;
  }

  /** Answers the results that were recorded (a duplicate or stale one is not). */
  async complete(results: readonly TaskRunResult[]): Promise<{ id: string; executionId: string }[]> {
    if (results.length === 0) return [];
    const rows = await run<Raw>(this.pool, "complete-task-runs", [JSON.stringify(results)]);
    const recorded = rows.map((r) => ({ id: r["id"] as string, executionId: r["execution_id"] as string }));
    if (recorded.length === results.length) return recorded;
    // Not recorded: a duplicate, a stale lease, or a run a kill reached (KILLING), which
    // ends KILLED whatever its task reported last. Only then a second statement: the
    // common batch stays one.
    const done = new Set(recorded.map((r) => r.id));
    return [...recorded, ...(await this.endKilled(results.filter((r) => !done.has(r.id))))];
  }

  /** Renews the leases; answers the runs among them that a kill reached (KILLING). */
  async heartbeat(workerId: string, leaseIds: readonly string[], leaseMs: number): Promise<string[]> {
    if (leaseIds.length === 0) return [];
    const rows = await run<{ id: string; state: string }>(this.pool, "heartbeat-task-runs", [workerId, leaseIds, leaseMs]);
    return rows.filter((r) => r.state === "KILLING").map((r) => r.id);
  }

  /** Of these task runs, the ones a kill reached. */
  async killingAmong(taskRunIds: readonly string[]): Promise<string[]> {
    if (taskRunIds.length === 0) return [];
    return (await run<{ id: string }>(this.pool, "list-killing-task-runs", [taskRunIds])).map((r) => r.id);
  }

  /**
   * KILLING → KILLED for runs their worker reports stopped (lease quoted), and with
   * `expired` for those whose worker died before it could (the sweep).
   */
  async endKilled(runs: readonly { id: string; leaseId: string }[], expired = false): Promise<{ id: string; executionId: string }[]> {
    if (runs.length === 0 && !expired) return [];
    const rows = await run<Raw>(this.pool, "end-killed-task-runs", [JSON.stringify(runs.map((r) => ({ id: r.id, leaseId: r.leaseId }))), expired]);
    return rows.map((r) => ({ id: r["id"], executionId: r["execution_id"] }));
  }

  async children(parentId: string): Promise<string[]> {
    return (await run<{ id: string }>(this.pool, "list-child-executions", [parentId])).map((r) => r.id);
  }

  async timedOut(limit: number): Promise<string[]> {
    return (await run<{ id: string }>(this.pool, "find-timed-out-executions", [limit])).map((r) => r.id);
  }

  /** The history after event `afterId`, with each task run's task id, path and attempt (follow). */
  async eventsAfter(executionId: string, afterId: number, take: number) {
    const rows = await run<Raw>(this.pool, "list-execution-events-after", [executionId, afterId, take]);
    return rows.map((r) => ({
      id: Number(r["id"]), taskRunId: (r["task_run_id"] as string | null) ?? null, from: (r["from_state"] as string | null) ?? null, to: r["to_state"] as string, at: r["at"] as string,
      taskId: (r["task_id"] as string | null) ?? null, path: (r["path"] as string | null) ?? null, attempt: (r["attempt"] as number | null) ?? null,
    }));
  }

  async resubmitExpired(limit: number): Promise<number> {
    return (await run<{ resubmitted: number }>(this.pool, "resubmit-expired-task-runs", [limit]))[0]!.resubmitted;
  }

  async queued(flowPk: string, limit: number): Promise<string[]> {
    return (await run<{ id: string }>(this.pool, "list-queued-executions", [flowPk, limit])).map((r) => r.id);
  }

  async findStalled(idleMs: number, limit: number): Promise<string[]> {
    return (await run<{ id: string }>(this.pool, "find-stalled-executions", [idleMs, limit])).map((r) => r.id);
  }

  async runContext(executionIds: readonly string[]): Promise<RunContextRow[]> {
    const rows = await run<Raw>(this.pool, "run-context", [executionIds]);
    return rows.map((r) => ({
      id: r["id"], namespace: r["namespace"], flowId: r["flow_id"], flowPk: r["flow_pk"], flowRevision: r["flow_revision"],
      inputs: r["inputs"] ?? {}, labels: r["labels"] ?? {}, trigger: r["trigger"], source: r["source"], outputs: r["outputs"] ?? {},
    }));
  }

  /** Unended executions by state and claimable task runs, for GET /metrics. */
  async metricsSnapshot(): Promise<{ executions: Record<string, number>; claimable: number }> {
    const row = (await run<{ executions: Record<string, number>; claimable: number }>(this.pool, "metrics-snapshot", []))[0]!;
    return { executions: row.executions ?? {}, claimable: row.claimable };
  }

  /** One batch of the retention purge: answers how many executions were deleted (with their task runs, events and logs). */
  async purgeEnded(retentionDays: number, batch: number): Promise<number> {
    return (await run(this.pool, "purge-ended-executions", [retentionDays, batch])).length;
  }

  async insertLogs(lines: readonly LogLine[]): Promise<void> {
    if (lines.length > 0) await run(this.pool, "insert-execution-logs", [JSON.stringify(lines)]);
  }
}
