import { readFileSync } from "node:fs";
import { inTransaction } from "../db/pg-transaction.ts";
import { ISO_TIMESTAMP_TYPES } from "../db/pg-timestamps.ts";
import type { Db, Pool } from "../db/prisma.ts";
import { DERIVED_VERSION, type FlowDerived } from "../flows/flow-derived.ts";

/**
 * The SQL of each flow state change lives in src/sql/flows, one file per change. The
 * one sync of a flow's derived rows (derived-sync.sql) is a list of CTEs that put,
 * resync and delete include where they say `-- include: derived-sync flow_pk=… derived=…`,
 * so that each stays one statement (one round trip).
 */
function sqlFile(name: string): string {
  const text = readFileSync(new URL(`../sql/flows/${name}.sql`, import.meta.url), "utf8");
  return text.replace(/^-- include: derived-sync flow_pk=(.+) derived=(\S+)$/m, (_line, flowPk: string, derived: string) => {
    const sync = readFileSync(new URL("../sql/flows/derived-sync.sql", import.meta.url), "utf8");
    return sync.replaceAll(":flow_pk", flowPk).replaceAll(":derived", `(${derived})`);
  });
}
const PUT_FLOW = sqlFile("put-flow");
const DELETE_FLOW = sqlFile("delete-flow");
const GET_FLOW = sqlFile("get-flow");
const LIST_FLOWS = sqlFile("list-flows");
const LIST_FLOWS_SUBTREE = sqlFile("list-flows-subtree");
const RESYNC_DERIVED = sqlFile("resync-derived");

/**
 * The hot statements, each prepared once per connection under its name and run with
 * its generic plan (the flow pool's sessions, see db/prisma.ts): planning put-flow costs
 * more than running it (prepared, PostgreSQL alone went from ~570 to ~1,500 writes/s at
 * 10 connections on this machine). They skip Prisma: through its $queryRaw the same
 * statements cost ~15 % more of the API's CPU. A fixed set, so the per-connection
 * statement cache stays small.
 */
const STATEMENTS = {
  put: { name: "meshplane_put_flow", text: PUT_FLOW },
  delete: { name: "meshplane_delete_flow", text: DELETE_FLOW },
  get: { name: "meshplane_get_flow", text: GET_FLOW },
  list: { name: "meshplane_list_flows", text: LIST_FLOWS },
  listSubtree: { name: "meshplane_list_flows_subtree", text: LIST_FLOWS_SUBTREE },
  resync: { name: "meshplane_resync_flow", text: RESYNC_DERIVED },
} as const;

type Statement = (typeof STATEMENTS)[keyof typeof STATEMENTS];

/**
 * Edge-changing writes take this transaction-scoped advisory lock so that two
 * concurrent PUTs cannot each pass the cycle check and together close a cycle. The
 * two-int form lives in a different key space from Prisma's migration lock.
 */
const FLOW_GRAPH_LOCK = "SELECT pg_advisory_xact_lock(1836346992, 1)";

export interface FlowRow {
  namespace: string;
  flowId: string;
  revision: number;
  source: string;
  labels: Record<string, string>;
  description: string;
  disabled: boolean;
  /** Timestamps as the API prints them (ISO 8601, UTC, milliseconds). */
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface PutFlowCommand {
  namespace: string;
  flowId: string;
  source: string;
  labels: Record<string, string>;
  description: string;
  disabled: boolean;
  /** If-Match: a revision, "*" (must exist); If-None-Match: * = "absent" (must not exist); undefined: any. */
  expected: number | "*" | "absent" | undefined;
  /** Edges, table references and schedules, synced by derived-sync.sql. */
  derived: FlowDerived;
  subject: string;
  subjectKind: string;
  requestId: string | undefined;
  /** The registered namespace the write's permission came from: held FOR KEY SHARE by the write. */
  governingNamespace: string;
}

/** namespace-gone: the governing namespace was deleted before the write could hold it. */
export type PutOutcome = "created" | "revived" | "updated" | "cycle" | "untouched" | "namespace-gone";

interface RawFlow {
  outcome?: PutOutcome;
  stale?: boolean;
  namespace: string | null;
  flow_id: string | null;
  revision: number | null;
  source: string | null;
  labels: Record<string, string> | null;
  description: string | null;
  disabled: boolean | null;
  created_at: string | null;
  updated_at: string | null;
  deleted_at: string | null;
}

/** The only code touching the flows tables; writes are single SQL statements. */
export class FlowRepository {
  constructor(
    private readonly db: Db,
    private readonly pool: Pool,
  ) {}

  private async run<T extends object>(statement: Statement, values: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>({ name: statement.name, text: statement.text, values, types: ISO_TIMESTAMP_TYPES })).rows;
  }

  /** The statement inside a transaction holding the flow-graph lock (see FLOW_GRAPH_LOCK). */
  private async runLocked<T extends object>(statement: Statement, values: unknown[]): Promise<T[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query(FLOW_GRAPH_LOCK);
      return (await client.query<T>({ name: statement.name, text: statement.text, values, types: ISO_TIMESTAMP_TYPES })).rows;
    });
  }
  /** `stale`: the write waited on a concurrent writer; re-derive with resyncDerived. */
  async put(cmd: PutFlowCommand): Promise<{ outcome: PutOutcome; stale: boolean; row: FlowRow | null }> {
    const params = [
      cmd.namespace,
      cmd.flowId,
      cmd.source,
      JSON.stringify(cmd.labels),
      cmd.description,
      cmd.disabled,
      typeof cmd.expected === "number" ? cmd.expected : null,
      cmd.expected === "*",
      JSON.stringify(cmd.derived),
      DERIVED_VERSION,
      cmd.subject,
      cmd.subjectKind,
      cmd.requestId ?? null,
      cmd.governingNamespace,
      cmd.expected === "absent",
    ];
    // Without edges the write cannot close a cycle: no lock, no transaction, one round trip.
    const rows = cmd.derived.edges.length === 0 ? await this.run<RawFlow>(STATEMENTS.put, params) : await this.runLocked<RawFlow>(STATEMENTS.put, params);
    const raw = rows[0]!;
    return { outcome: raw.outcome!, stale: raw.stale === true, row: raw.flow_id === null ? null : fromRaw(raw) };
  }

  async softDelete(cmd: {
    namespace: string;
    flowId: string;
    force: boolean;
    expected: number | undefined;
    subject: string;
    subjectKind: string;
    requestId: string | undefined;
  }): Promise<{ deleted: boolean; stale: boolean; deletedRevision: number | null; currentRevision: number | null; dependents: { namespace: string; id: string; kind: string }[] }> {
    const rows = await this.run<{
      deleted: boolean;
      stale: boolean;
      deleted_revision: number | null;
      current_revision: number | null;
      dependents: { namespace: string; id: string; kind: string }[];
    }>(STATEMENTS.delete, [cmd.namespace, cmd.flowId, cmd.force, cmd.expected ?? null, cmd.subject, cmd.subjectKind, cmd.requestId ?? null]);
    const r = rows[0]!;
    return { deleted: r.deleted, stale: r.stale, deletedRevision: r.deleted_revision, currentRevision: r.current_revision, dependents: r.dependents };
  }

  /** Re-derives the derived rows of a flow still at `revision` (see resync-derived.sql); false if it moved on. */
  async resyncDerived(namespace: string, flowId: string, revision: number, derived: FlowDerived): Promise<boolean> {
    const rows = await this.run<{ resynced: number }>(STATEMENTS.resync, [namespace, flowId, revision, JSON.stringify(derived), DERIVED_VERSION]);
    return rows[0]!.resynced > 0;
  }

  /** Live flows whose derived rows were written by older code (flows.derived_version), a page at a time. */
  async derivedOutdated(take: number): Promise<{ namespace: string; flowId: string; revision: number; source: string }[]> {
    const rows = await this.pool.query<{ namespace: string; flow_id: string; revision: number; source: string }>(
      "SELECT namespace, flow_id, revision, source FROM flows WHERE deleted_at IS NULL AND derived_version < $1 ORDER BY namespace, flow_id LIMIT $2",
      [DERIVED_VERSION, take],
    );
    return rows.rows.map((r) => ({ namespace: r.namespace, flowId: r.flow_id, revision: r.revision, source: r.source }));
  }

  async find(namespace: string, flowId: string): Promise<FlowRow | null> {
    const rows = await this.run<RawFlow>(STATEMENTS.get, [namespace, flowId]);
    return rows[0] ? fromRaw(rows[0]) : null;
  }

  /** Live flows of a namespace (or its subtree), keyset-paginated on (namespace, flow id). */
  async list(namespace: string, subtree: boolean, after: { namespace: string; flowId: string } | undefined, take: number): Promise<FlowRow[]> {
    const rows = subtree
      ? await this.run<RawFlow>(STATEMENTS.listSubtree, [namespace, after?.namespace ?? "", after?.flowId ?? "", take])
      : await this.run<RawFlow>(STATEMENTS.list, [namespace, after?.flowId ?? "", take]);
    return rows.map(fromRaw);
  }

  async revisions(namespace: string, flowId: string, afterRevision: number | undefined, take: number) {
    return this.db.flowRevision.findMany({
      where: { flow: { namespace, flowId }, ...(afterRevision !== undefined ? { revision: { gt: afterRevision } } : {}) },
      orderBy: { revision: "asc" },
      take,
      select: { revision: true, deleted: true, createdBy: true, createdAt: true },
    });
  }

  async revision(namespace: string, flowId: string, revision: number) {
    return this.db.flowRevision.findFirst({
      where: { flow: { namespace, flowId }, revision },
      select: { revision: true, source: true, deleted: true, createdBy: true, createdAt: true, flow: { select: { createdAt: true } } },
    });
  }

  /** Which of these (namespace, flow id) pairs are live flows: for reference warnings. */
  async existing(refs: readonly { namespace: string; flowId: string }[]): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const rows = await this.db.flow.findMany({
      where: { deletedAt: null, OR: refs.map((r) => ({ namespace: r.namespace, flowId: r.flowId })) },
      select: { namespace: true, flowId: true },
    });
    return new Set(rows.map((r) => `${r.namespace}/${r.flowId}`));
  }
}

function fromRaw(r: RawFlow): FlowRow {
  return {
    namespace: r.namespace!,
    flowId: r.flow_id!,
    revision: r.revision!,
    source: r.source!,
    labels: r.labels ?? {},
    description: r.description ?? "",
    disabled: r.disabled ?? false,
    createdAt: r.created_at!,
    updatedAt: r.updated_at!,
    deletedAt: r.deleted_at,
  };
}
