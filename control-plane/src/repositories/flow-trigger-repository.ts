import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";
import { inTransaction } from "../db/pg-transaction.ts";
import { ISO_TIMESTAMP_TYPES } from "../db/pg-timestamps.ts";
import type { Pool } from "../db/prisma.ts";
import type { ExecutionState } from "../orchestrator/states.ts";
import { run as runExecutionSql, type LogLine, type Queryable } from "./execution-repository.ts";

/**
 * The statements of an execution's follow-ups (src/sql/triggers, one file each, run as
 * named prepared statements): the ended executions not handled yet, the downstream
 * flows of a flow trigger, the trigger's counted upstream ends, the run-time grant
 * check's data, the audit record of a refusal. Everything but `downstreamOf` runs
 * inside the handler's transaction (the client), so that what an end starts commits
 * with the mark that it was handled.
 */
const SQL_DIR = new URL("../sql/triggers/", import.meta.url);
const SQL: Record<string, string> = Object.fromEntries(
  readdirSync(SQL_DIR)
    .filter((f) => f.endsWith(".sql"))
    .map((f) => [f.slice(0, -4), readFileSync(new URL(f, SQL_DIR), "utf8")]),
);

async function run<T extends object>(db: Queryable, name: string, values: unknown[]): Promise<T[]> {
  const text = SQL[name];
  if (text === undefined) throw new Error(`no SQL file src/sql/triggers/${name}.sql`);
  return (await db.query<T>({ name: `meshplane_t_${name.replaceAll("-", "_")}`, text, values, types: ISO_TIMESTAMP_TYPES })).rows;
}

type Raw = Record<string, any>;

export interface EndedExecution {
  id: string;
  namespace: string;
  flowId: string;
  state: ExecutionState;
  endedAt: string;
  error: string | null;
  parentExecutionId: string | null;
  parentTaskRunId: string | null;
}

export interface FlowAtRevision {
  flowPk: string;
  namespace: string;
  flowId: string;
  revision: number;
  source: string;
}

/** One flow trigger of a downstream flow, as its stored edges say (downstream-flows.sql). */
export interface DownstreamTrigger {
  flow: FlowAtRevision;
  id: string;
  upstream: { namespace: string; flowId: string }[];
  /** Upstream end states that fire it ([SUCCESS] when the edge predates the column). */
  states: string[];
  windowMs: number;
}

export interface CountedEnd {
  executionId: string;
  namespace: string;
  flowId: string;
  state: string;
  endedAt: string;
}

export interface GoverningNamespace {
  name: string;
  teamId: string;
  team: string;
}

export interface GrantContext {
  upstream: GoverningNamespace | null;
  downstream: GoverningNamespace | null;
  grants: { upstreamNamespace: string; upstreamFlow: string; downstreamNamespace: string; kinds: string[] }[];
}

export interface DownstreamRow {
  namespace: string;
  flowId: string;
  triggerId: string;
  executionId: string | null;
  refused: string | null;
  consumed: boolean;
}

export interface DeniedRecord {
  subject: string;
  subjectKind: string;
  /** The downstream flow: namespace/flowId. */
  resourceId: string;
  namespace: string;
  after: Record<string, unknown>;
}

export class FlowTriggerRepository {
  constructor(private readonly pool: Pool) {}

  /** Runs `work` in one transaction on one connection of the pool. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }
  async claimEnded(client: pg.PoolClient, skip: readonly string[]): Promise<EndedExecution | null> {
    const r = (await run<Raw>(client, "claim-ended-execution", [skip]))[0];
    if (!r) return null;
    return {
      id: r["id"], namespace: r["namespace"], flowId: r["flow_id"], state: r["state"], endedAt: r["ended_at"], error: r["error"] ?? null,
      parentExecutionId: r["parent_execution_id"] ?? null, parentTaskRunId: r["parent_task_run_id"] ?? null,
    };
  }

  async markHandled(client: pg.PoolClient, executionId: string): Promise<void> {
    await run(client, "mark-end-handled", [executionId]);
  }

  async downstreamTriggers(client: pg.PoolClient, namespace: string, flowId: string): Promise<DownstreamTrigger[]> {
    return (await run<Raw>(client, "downstream-flows", [namespace, flowId])).map((r) => ({
      flow: flowOf(r),
      id: r["trigger_id"],
      upstream: r["upstream"],
      states: r["states"] ?? ["SUCCESS"],
      windowMs: r["window_ms"] === null ? DAY_MS : Number(r["window_ms"]),
    }));
  }

  async currentFlow(client: pg.PoolClient, namespace: string, flowId: string): Promise<(FlowAtRevision & { disabled: boolean; deleted: boolean }) | null> {
    const r = (await run<Raw>(client, "current-flow", [namespace, flowId]))[0];
    return r ? { ...flowOf(r), disabled: r["disabled"], deleted: r["deleted"] } : null;
  }

  async grantContext(client: pg.PoolClient, upstreamNamespaces: readonly string[], downstreamNamespaces: readonly string[]): Promise<GrantContext> {
    const r = (await run<Raw>(client, "grant-context", [upstreamNamespaces, downstreamNamespaces]))[0]!;
    return { upstream: r["upstream"] ?? null, downstream: r["downstream"] ?? null, grants: r["grants"] ?? [] };
  }

  async lockTrigger(client: pg.PoolClient, flowPk: string, triggerId: string): Promise<void> {
    await run(client, "lock-flow-trigger", [flowPk, triggerId]);
  }

  /** False when this trigger already counted this end (handled before, by this replica or another). */
  async recordEnd(client: pg.PoolClient, flow: FlowAtRevision, triggerId: string, end: CountedEnd): Promise<boolean> {
    const rows = await run(client, "record-trigger-event", [
      flow.flowPk, triggerId, end.executionId, end.namespace, end.flowId, end.state, end.endedAt, flow.namespace, flow.flowId,
    ]);
    return rows.length > 0;
  }

  async openEnds(client: pg.PoolClient, flowPk: string, triggerId: string, newest: string, windowMs: number): Promise<CountedEnd[]> {
    const rows = await run<Raw>(client, "open-trigger-events", [flowPk, triggerId, newest, windowMs]);
    return rows.map((r) => ({ executionId: r["upstream_execution_id"], namespace: r["upstream_namespace"], flowId: r["upstream_flow_id"], state: r["upstream_state"], endedAt: r["upstream_ended_at"] }));
  }

  /** The trigger fired (`executionId`) or was refused (`refused`): what it counted is consumed, the trigger resets. */
  async consume(client: pg.PoolClient, flowPk: string, triggerId: string, outcome: { executionId: string } | { refused: string }): Promise<void> {
    await run(client, "consume-trigger-events", [flowPk, triggerId, "executionId" in outcome ? outcome.executionId : null, "refused" in outcome ? outcome.refused : null]);
  }

  async recordDenied(client: pg.PoolClient, record: DeniedRecord): Promise<void> {
    await run(client, "record-denied", [record.subject, record.subjectKind, record.resourceId, record.namespace, JSON.stringify(record.after)]);
  }

  async log(client: pg.PoolClient, lines: readonly LogLine[]): Promise<void> {
    if (lines.length > 0) await runExecutionSql(client, "insert-execution-logs", [JSON.stringify(lines)]);
  }

  /** A subflow's task run ends with its child (or could not start one). */
  async endSubflowRun(client: pg.PoolClient, taskRunId: string, state: "SUCCESS" | "FAILED", outputs: Record<string, unknown>, error: string | null): Promise<string | null> {
    const rows = await runExecutionSql<{ execution_id: string }>(client, "end-subflow-task-run", [taskRunId, state, JSON.stringify(outputs), error]);
    return rows[0]?.execution_id ?? null;
  }

  /** Marks handled, in one statement, up to `limit` pending ends with no follow-ups; answers how many. */
  async markEndsWithoutFollowUps(limit: number): Promise<number> {
    return (await run(this.pool, "mark-ends-without-follow-ups", [limit])).length;
  }

  /** For GET /executions/{id}: what its end started downstream, or why not. */
  async downstreamOf(executionId: string): Promise<DownstreamRow[]> {
    const rows = await run<Raw>(this.pool, "list-downstream", [executionId]);
    return rows.map((r) => ({
      namespace: r["downstream_namespace"], flowId: r["downstream_flow_id"], triggerId: r["trigger_id"],
      executionId: r["execution_id"] ?? null, refused: r["refused"] ?? null, consumed: r["consumed"],
    }));
  }
}

const DAY_MS = 86_400_000;
const flowOf = (r: Raw): FlowAtRevision => ({ flowPk: r["flow_pk"], namespace: r["namespace"], flowId: r["flow_id"], revision: r["revision"], source: r["source"] });
