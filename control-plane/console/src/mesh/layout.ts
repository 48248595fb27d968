import dagre from "@dagrejs/dagre";
import type { Mesh } from "./model.ts";

export const NODE_W = 210;
export const NODE_H = 54;
export interface Box { x: number; y: number; width: number; height: number }
export interface Layout { flows: Map<string, Box>; teams: Map<string, Box>; namespaces: Map<string, Box> }

/**
 * A layered left-to-right layout (dagre) with the flows clustered by namespace inside their
 * team. Nodes and edges are added in sorted order, so the same mesh gives the same map on
 * every visit. Run in a Web Worker (layout.worker.ts); the size guard (MeshMap) keeps what
 * is laid out readable.
 */
export function layoutMesh(mesh: Mesh, visible: Set<string>): Layout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 90, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const flows = mesh.flows.filter((f) => visible.has(f.key));
  for (const team of [...new Set(flows.map((f) => f.team))].sort()) g.setNode(`team:${team}`, { label: team, paddingTop: 30 });
  for (const f of flows) {
    const ns = `ns:${f.namespace}`;
    if (!g.hasNode(ns)) { g.setNode(ns, { label: f.namespace, paddingTop: 26 }); g.setParent(ns, `team:${f.team}`); }
    g.setNode(f.key, { width: NODE_W, height: NODE_H });
    g.setParent(f.key, ns);
  }
  for (const e of mesh.edges) if (visible.has(e.from) && visible.has(e.to)) g.setEdge(e.from, e.to, { width: 150, height: 20, labelpos: "c" }, e.key);
  dagre.layout(g);
  const box = (id: string): Box => {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    return { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height };
  };
  const layout: Layout = { flows: new Map(), teams: new Map(), namespaces: new Map() };
  for (const id of g.nodes()) {
    if (id.startsWith("team:")) layout.teams.set(id.slice(5), box(id));
    else if (id.startsWith("ns:")) layout.namespaces.set(id.slice(3), box(id));
    else layout.flows.set(id, box(id));
  }
  return layout;
}
