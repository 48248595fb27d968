import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";
import { ISO_TIMESTAMP_TYPES } from "../db/pg-timestamps.ts";
import type { Pool } from "../db/prisma.ts";
import type { ExecutionState, TaskRunState } from "../orchestrator/states.ts";

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

type Queryable = Pool | pg.PoolClient;

async function run<T extends object>(db: Queryable, name: string, values: unknown[]): Promise<T[]> {
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
  state: "SUCCESS" | "WARNING" | "FAILED";
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
  readonly taskRuns: readonly TaskRunRow[];
  start(): Promise<boolean>;
  /** Takes the flow's concurrency lock (until the transaction ends) and answers how many of its executions run. */
  lockFlowConcurrency(): Promise<number>;
  hold(state: "QUEUED" | "CANCELLED" | "FAILED", error: string | null): Promise<boolean>;
  end(state: "SUCCESS" | "WARNING" | "FAILED", error: string | null): Promise<boolean>;
  insertTaskRuns(runs: readonly NewTaskRun[]): Promise<number>;
  endFlowables(ends: readonly { id: string; state: "SUCCESS" | "FAILED"; error: string | null }[]): Promise<number>;
}

/** A decision round's view of many executions (see withLockedMany): each change is one statement for all of them. */
export interface LockedBatch {
  /** The executions that exist, locked until the transaction ends. */
  readonly executions: readonly (ExecutionRow & { source: string; flowPk: string })[];
  readonly taskRuns: ReadonlyMap<string, readonly TaskRunRow[]>;
  start(ids: readonly string[]): Promise<number>;
  lockFlowConcurrency(flowPk: string): Promise<number>;
  hold(id: string, state: "QUEUED" | "CANCELLED" | "FAILED", error: string | null): Promise<boolean>;
  end(ends: readonly { id: string; state: "SUCCESS" | "WARNING" | "FAILED"; error: string | null }[]): Promise<number>;
  insertTaskRuns(runs: readonly NewTaskRun[]): Promise<number>;
  endFlowables(ends: readonly { id: string; state: "SUCCESS" | "FAILED"; error: string | null }[]): Promise<number>;
}

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

export class ExecutionRepository {
  constructor(private readonly pool: Pool) {}

  /** Null when the flow is no longer live, enabled and at `revision`. */
  async create(cmd: {
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
  }): Promise<string | null> {
    const rows = await run<{ id: string }>(this.pool, "create-execution", [
      cmd.id, cmd.namespace, cmd.flowId, cmd.revision, JSON.stringify(cmd.inputs), JSON.stringify(cmd.labels), JSON.stringify(cmd.trigger),
      cmd.subject, cmd.subjectKind, cmd.requestId ?? null,
    ]);
    return rows[0]?.id ?? null;
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

  async list(filter: { namespace: string | undefined; flowId: string | undefined; state: string | undefined; before: { createdAt: string; id: string } | undefined; take: number }): Promise<ExecutionRow[]> {
    const rows = await run<Raw>(this.pool, "list-executions", [
      filter.namespace ?? "", filter.flowId ?? "", filter.state ?? "", filter.before?.createdAt ?? null, filter.before?.id ?? null, filter.take,
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
        taskRuns: batch.taskRuns.get(execution.id) ?? [],
        start: async () => (await batch.start([executionId])) > 0,
        lockFlowConcurrency: () => batch.lockFlowConcurrency(execution.flowPk),
        hold: (state, error) => batch.hold(executionId, state, error),
        end: async (state, error) => (await batch.end([{ id: executionId, state, error }])) > 0,
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
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      try {
        const ids = [...new Set(executionIds)];
        const executions = (await run<Raw>(client, "lock-execution", [ids])).map((r) => ({ ...executionOf(r), source: r["source"] as string, flowPk: r["flow_pk"] as string }));
        const taskRuns = new Map<string, TaskRunRow[]>(executions.map((e) => [e.id, []]));
        if (executions.length > 0) {
          for (const r of await run<Raw>(client, "list-task-runs-of-executions", [executions.map((e) => e.id)])) taskRuns.get(r["execution_id"])?.push(taskRunOf(r));
        }
        const result = await decide({
          executions,
          taskRuns,
          start: async (startIds) => (startIds.length === 0 ? 0 : (await run(client, "start-execution", [startIds])).length),
          lockFlowConcurrency: async (flowPk) => {
            await run(client, "lock-flow-concurrency", [flowPk]);
            return (await run<{ running: number }>(client, "count-running-executions", [flowPk]))[0]!.running;
          },
          hold: async (id, state, error) => (await run(client, "hold-execution", [id, state, error])).length > 0,
          end: async (ends) => (ends.length === 0 ? 0 : (await run(client, "end-execution", [JSON.stringify(ends)])).length),
          insertTaskRuns: async (runs) => (runs.length === 0 ? 0 : (await run<{ inserted: number }>(client, "insert-task-runs", [JSON.stringify(runs)]))[0]!.inserted),
          endFlowables: async (ends) => (ends.length === 0 ? 0 : (await run(client, "end-flowable-task-runs", [JSON.stringify(ends)])).length),
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollback: Error) => (broken = rollback));
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  async claim(workerId: string, leaseId: string, slots: number, leaseMs: number): Promise<ClaimedTaskRun[]> {
    const rows = await run<Raw>(this.pool, "claim-task-runs", [workerId, leaseId, slots, leaseMs]);
    return rows.map((r) => ({ id: r["id"], executionId: r["execution_id"], taskId: r["task_id"], path: r["path"], value: r["value"] ?? null, attempt: r["attempt"] }));
  }

  /** Answers the results that were recorded (a duplicate or stale one is not). */
  async complete(results: readonly TaskRunResult[]): Promise<{ id: string; executionId: string }[]> {
    if (results.length === 0) return [];
    const rows = await run<Raw>(this.pool, "complete-task-runs", [JSON.stringify(results)]);
    return rows.map((r) => ({ id: r["id"], executionId: r["execution_id"] }));
  }

  async heartbeat(workerId: string, leaseIds: readonly string[], leaseMs: number): Promise<void> {
    if (leaseIds.length > 0) await run(this.pool, "heartbeat-task-runs", [workerId, leaseIds, leaseMs]);
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

  async insertLogs(lines: readonly LogLine[]): Promise<void> {
    if (lines.length > 0) await run(this.pool, "insert-execution-logs", [JSON.stringify(lines)]);
  }
}
