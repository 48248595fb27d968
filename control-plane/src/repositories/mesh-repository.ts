import { readFileSync } from "node:fs";
import type { Db } from "../db/prisma.ts";

function sqlFile(name: string): string {
  return readFileSync(new URL(`../sql/mesh/${name}.sql`, import.meta.url), "utf8");
}
const FLOW_NAMESPACES = sqlFile("flow-namespaces");
const FLOWS_WITH_LATEST_RUN = sqlFile("flows-with-latest-run");
const EDGES = sqlFile("edges");
const LATEST_REFUSALS = sqlFile("latest-refusals");

export interface MeshFlowRow {
  namespace: string;
  flowId: string;
  disabled: boolean;
  latestExecution: { id: string; state: string; createdAt: Date } | null;
}

export interface MeshEdgeRow {
  from: { namespace: string; id: string };
  to: { namespace: string; id: string };
  kind: string;
}

export interface MeshRefusalRow {
  flow: string;
  kind: string;
  upstream: { namespace: string; id: string };
  at: Date;
}

/** The whole mesh in four queries, whatever its size (the console's home page). */
export class MeshRepository {
  constructor(private readonly db: Db) {}

  async flowNamespaces(): Promise<string[]> {
    const rows = await this.db.$queryRawUnsafe<{ namespace: string }[]>(FLOW_NAMESPACES);
    return rows.map((r) => r.namespace);
  }

  async flows(namespaces: readonly string[]): Promise<MeshFlowRow[]> {
    const rows = await this.db.$queryRawUnsafe<{ namespace: string; flow_id: string; disabled: boolean; execution_id: string | null; state: string | null; created_at: Date | null }[]>(
      FLOWS_WITH_LATEST_RUN,
      namespaces,
    );
    return rows.map((r) => ({
      namespace: r.namespace,
      flowId: r.flow_id,
      disabled: r.disabled,
      latestExecution: r.execution_id ? { id: r.execution_id, state: r.state!, createdAt: r.created_at! } : null,
    }));
  }

  async edges(namespaces: readonly string[]): Promise<MeshEdgeRow[]> {
    const rows = await this.db.$queryRawUnsafe<{ kind: string; upstream_namespace: string; upstream_flow_id: string; namespace: string; flow_id: string }[]>(EDGES, namespaces);
    return rows.map((r) => ({ from: { namespace: r.upstream_namespace, id: r.upstream_flow_id }, to: { namespace: r.namespace, id: r.flow_id }, kind: r.kind }));
  }

  async latestRefusals(flowKeys: readonly string[]): Promise<MeshRefusalRow[]> {
    if (flowKeys.length === 0) return [];
    const rows = await this.db.$queryRawUnsafe<{ resource_id: string; kind: string; upstream_namespace: string; upstream_flow_id: string; at: Date }[]>(LATEST_REFUSALS, flowKeys);
    return rows.map((r) => ({ flow: r.resource_id, kind: r.kind, upstream: { namespace: r.upstream_namespace, id: r.upstream_flow_id }, at: r.at }));
  }
}
