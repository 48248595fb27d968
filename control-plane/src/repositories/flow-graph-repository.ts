import { readFileSync } from "node:fs";
import type { Db } from "../db/prisma.ts";

function sqlFile(name: string): string {
  return readFileSync(new URL(`../sql/flows/${name}.sql`, import.meta.url), "utf8");
}
const DEPENDENCIES = { up: sqlFile("dependencies-up"), down: sqlFile("dependencies-down") };
const REACHABLE_EDGES = sqlFile("reachable-edges");

export interface FlowKey {
  namespace: string;
  id: string;
}

/** `from` is the upstream (listened to or called), `to` the flow that declares the reference. */
export interface GraphEdge {
  from: FlowKey;
  to: FlowKey;
  kind: string;
}

interface GraphRow {
  kind: string;
  from_namespace: string;
  from_flow_id: string;
  to_namespace: string | null;
  to_flow_id: string | null;
  registered: boolean | null;
}

/** The trigger/subflow graph, walked with recursive CTEs (cycle-safe, one query each). */
export class FlowGraphRepository {
  constructor(private readonly db: Db) {}

  async dependencies(root: FlowKey, direction: "up" | "down", recursive: boolean): Promise<{ nodes: (FlowKey & { registered: boolean })[]; edges: GraphEdge[] }> {
    const rows = await this.db.$queryRawUnsafe<GraphRow[]>(DEPENDENCIES[direction], root.namespace, root.id, recursive);
    const nodes: (FlowKey & { registered: boolean })[] = [];
    const edges: GraphEdge[] = [];
    for (const r of rows) {
      if (r.kind === "node") nodes.push({ namespace: r.from_namespace, id: r.from_flow_id, registered: r.registered ?? false });
      else edges.push({ from: { namespace: r.from_namespace, id: r.from_flow_id }, to: { namespace: r.to_namespace!, id: r.to_flow_id! }, kind: r.kind });
    }
    const byKey = (a: FlowKey, b: FlowKey) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id);
    nodes.sort(byKey);
    edges.sort((a, b) => byKey(a.to, b.to) || byKey(a.from, b.from) || a.kind.localeCompare(b.kind));
    return { nodes, edges };
  }

  /** Stored edges reachable upstream from `start`, ignoring `self`'s own stored edges. */
  async reachableEdges(self: FlowKey, start: readonly { namespace: string; flowId: string }[]): Promise<GraphEdge[]> {
    const rows = await this.db.$queryRawUnsafe<{ namespace: string; flow_id: string; upstream_namespace: string; upstream_flow_id: string; kind: string }[]>(
      REACHABLE_EDGES,
      self.namespace,
      self.id,
      JSON.stringify(start.map((s) => ({ namespace: s.namespace, flowId: s.flowId }))),
    );
    return rows.map((r) => ({ from: { namespace: r.upstream_namespace, id: r.upstream_flow_id }, to: { namespace: r.namespace, id: r.flow_id }, kind: r.kind }));
  }
}
