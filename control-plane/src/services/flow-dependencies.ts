import type { GraphEdge } from "../repositories/flow-graph-repository.ts";
import type { FlowKey } from "./flow-policy.ts";

export interface DependencyNode extends FlowKey {
  /** Absent on a hidden node: whether a flow exists there is for its readers to know. */
  registered?: boolean;
  /** In a namespace the caller cannot read: shown as the end of an edge, never walked past. */
  hidden?: true;
}

export interface FlowDependencies {
  nodes: DependencyNode[];
  edges: GraphEdge[];
}

/**
 * What of a dependency walk the caller may see. The SQL walks the whole graph (one
 * query); this walks it again from the root, expanding only nodes whose namespace the
 * caller can read, so a chain through another team's flows shows that team's first flow
 * (hidden) and nothing behind it. Cost: one cached authorization per distinct namespace.
 */
export async function visibleDependencies(
  graph: { nodes: (FlowKey & { registered: boolean })[]; edges: GraphEdge[] },
  root: FlowKey,
  direction: "up" | "down",
  readable: (namespace: string) => Promise<boolean>,
): Promise<FlowDependencies> {
  const keyOf = (k: FlowKey) => `${k.namespace}\u0000${k.id}`;
  const registered = new Map(graph.nodes.map((n) => [keyOf(n), n.registered]));
  const adjacent = new Map<string, GraphEdge[]>();
  for (const edge of graph.edges) {
    const near = keyOf(direction === "down" ? edge.from : edge.to);
    adjacent.set(near, [...(adjacent.get(near) ?? []), edge]);
  }
  const seen = new Map<string, DependencyNode>();
  const edges: GraphEdge[] = [];
  const queue: FlowKey[] = [root];
  seen.set(keyOf(root), { namespace: root.namespace, id: root.id, registered: registered.get(keyOf(root)) ?? true });
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (seen.get(keyOf(node))!.hidden) continue;
    for (const edge of adjacent.get(keyOf(node)) ?? []) {
      edges.push(edge);
      const far = direction === "down" ? edge.to : edge.from;
      if (seen.has(keyOf(far))) continue;
      const visible = await readable(far.namespace);
      seen.set(keyOf(far), visible ? { namespace: far.namespace, id: far.id, registered: registered.get(keyOf(far)) ?? false } : { namespace: far.namespace, id: far.id, hidden: true });
      queue.push(far);
    }
  }
  const byKey = (a: FlowKey, b: FlowKey) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id);
  return { nodes: [...seen.values()].sort(byKey), edges: edges.sort((a, b) => byKey(a.to, b.to) || byKey(a.from, b.from) || a.kind.localeCompare(b.kind)) };
}
