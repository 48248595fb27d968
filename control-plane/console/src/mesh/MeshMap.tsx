import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";
import { all, api, type MeshData, type Namespace, type TriggerGrant } from "../api.ts";
import { Link } from "../router.tsx";
import { StateMark } from "../state.tsx";
import { useLayout } from "./use-layout.ts";
import { buildMesh, select, verdictLabel, type Mesh, type MeshEdge } from "./model.ts";

/** Beyond this many flows the map would be unreadable (kestra#12710): the table stays, the graph asks for a filter. */
export const MAP_LIMIT = 250;

/** Three calls, whatever the mesh's size: the namespace directory, the grants, the mesh (pages of 500 for the lists). */
async function loadMesh(): Promise<{ mesh: Mesh; data: MeshData }> {
  const [namespaces, grants, data] = await Promise.all([all<Namespace>("/namespaces"), all<TriggerGrant>("/trigger-grants"), api<MeshData>("/mesh")]);
  return { mesh: buildMesh({ namespaces, grants, mesh: data }), data };
}

/** How often the map re-reads its flows' latest runs (GET /mesh only, while the tab is visible). */
export const REFRESH_MS = 10_000;

type Runs = Map<string, { state?: string | undefined; executionId?: string | undefined }>;
/** What the layout and the verdicts depend on: when it changes, the whole map is read again. */
const shapeOf = (m: MeshData) => JSON.stringify([m.flows.map((f) => [f.namespace, f.id]), m.edges]);

/** Team and namespace boxes: a caption, no handles (edges join flows only). */
const nodeTypes = { cluster: ({ data }: { data: { label: string } }) => <div className="cluster-label">{data.label}</div> };

const VERDICT_MARK: Record<MeshEdge["verdict"]["kind"], string> = { "same-team": "", granted: "✓", refused: "⚠", missing: "✕" };

export function MeshMap({ query, setQuery }: { query: string; setQuery: (q: string) => void }) {
  const [mesh, setMesh] = useState<Mesh | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Latest runs read since the map was built, drawn over its flows (same shape, no new layout).
  const [runs, setRuns] = useState<Runs | null>(null);
  useEffect(() => {
    let shape = "";
    const load = () => loadMesh().then(({ mesh: m, data }) => { shape = shapeOf(data); setRuns(null); setMesh(m); }, (e: Error) => setError(e.message));
    void load();
    const timer = setInterval(() => {
      if (document.hidden) return;
      api<MeshData>("/mesh").then((data) => {
        if (shapeOf(data) !== shape) return void load();
        setRuns(new Map(data.flows.map((f) => [`${f.namespace}/${f.id}`, { state: f.latestExecution?.state, executionId: f.latestExecution?.id }])));
      }, () => undefined);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const runOf = (f: { key: string; state?: string | undefined; executionId?: string | undefined }) => runs?.get(f.key) ?? f;
  const visible = useMemo(() => (mesh ? select(mesh, query) : new Set<string>()), [mesh, query]);
  const drawn = mesh !== null && visible.size > 0 && visible.size <= MAP_LIMIT;
  const layout = useLayout(mesh, visible, drawn);
  const graph = useMemo(() => {
    if (!mesh || !layout) return { nodes: [] as Node[], edges: [] as Edge[] };
    const nodes: Node[] = [];
    for (const [team, b] of layout.teams) nodes.push({ id: `team:${team}`, position: { x: b.x, y: b.y }, data: { label: `team ${team}` }, type: "cluster", className: "team-group", style: { width: b.width, height: b.height }, selectable: false, focusable: false, draggable: false, zIndex: 0 });
    for (const [ns, b] of layout.namespaces) nodes.push({ id: `ns:${ns}`, position: { x: b.x, y: b.y }, data: { label: ns }, type: "cluster", className: "ns-group", style: { width: b.width, height: b.height }, selectable: false, focusable: false, draggable: false, zIndex: 1 });
    for (const f of mesh.flows) {
      const b = layout.flows.get(f.key);
      if (!b) continue;
      nodes.push({
        id: f.key, position: { x: b.x, y: b.y }, zIndex: 2, sourcePosition: Position.Right, targetPosition: Position.Left, draggable: false, className: "flow-node", ariaLabel: `flow ${f.key}, ${runOf(f).state ?? "no run"}`,
        data: { label: <span className="flow-label"><strong>{f.id}</strong><StateMark state={runOf(f).state} /></span> },
        style: { width: b.width, height: b.height },
      });
    }
    const edges: Edge[] = mesh.edges
      .filter((e) => visible.has(e.from) && visible.has(e.to))
      .map((e) => ({
        id: e.key, source: e.from, target: e.to, zIndex: 3,
        label: e.crossTeam ? `${VERDICT_MARK[e.verdict.kind]} ${verdictLabel(e.verdict)}` : undefined,
        className: `edge-${e.verdict.kind}`,
        markerEnd: { type: MarkerType.ArrowClosed },
        labelBgPadding: [4, 2] as [number, number],
      }));
    return { nodes, edges };
  }, [mesh, visible, layout, runs]);

  if (error) return <p role="alert" className="error">Could not load the mesh: {error}</p>;
  if (!mesh) return <p>Loading the mesh…</p>;
  const rows = mesh.flows.filter((f) => visible.has(f.key));
  const crossEdges = mesh.edges.filter((e) => e.crossTeam && (visible.has(e.from) || visible.has(e.to)));
  return (
    <div className="mesh">
      <label className="search">
        Select flows <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="team:supply  +daily_orders  stock_levels+  ns:retail" aria-describedby="syntax" />
      </label>
      <p id="syntax" className="hint">Syntax: <code>team:NAME</code>, <code>ns:NAMESPACE</code>, <code>+flow</code> (with its upstream), <code>flow+</code> (with its downstream); words are combined.</p>
      <div className="mesh-body">
        <section className="map" aria-label="Mesh map">
          {drawn && !layout ? (
            <p className="layout-pending" role="status">Laying out {visible.size} flows…</p>
          ) : drawn ? (
            <ReactFlow nodeTypes={nodeTypes} nodes={graph.nodes} edges={graph.edges} fitView nodesDraggable={false} nodesConnectable={false} proOptions={{ hideAttribution: true }}
              onNodeClick={(_e, n) => { if (!n.id.includes(":")) setQuery(`+${n.id}+`); }}
              minZoom={0.1}>
              <Background />
              <Controls showInteractive={false} />
            </ReactFlow>
          ) : (
            <p className="guard" role="status">{visible.size === 0 ? "No flow matches this selection." : `${visible.size} flows selected: too many to draw (at most ${MAP_LIMIT}). Filter them, e.g. team:${mesh.flows[0]?.team ?? "NAME"}; the table lists them all.`}</p>
          )}
        </section>
        <section className="side" aria-label="Flows and cross-team edges">
          <h2>Cross-team edges ({crossEdges.length})</h2>
          <table className="edges">
            <thead><tr><th>Upstream</th><th>Downstream</th><th>Kind</th><th>Allowed by</th></tr></thead>
            <tbody>{crossEdges.map((e) => <tr key={e.key} data-verdict={e.verdict.kind}><td>{e.from}</td><td>{e.to}</td><td>{e.kind}</td><td className={`verdict ${e.verdict.kind}`}>{VERDICT_MARK[e.verdict.kind]} {verdictLabel(e.verdict)}</td></tr>)}</tbody>
          </table>
          <h2>Flows ({rows.length})</h2>
          <table className="flows">
            <thead><tr><th>Team</th><th>Flow</th><th>Latest run</th></tr></thead>
            <tbody>{rows.slice(0, 1000).map((f) => (
              <tr key={f.key}><td>{f.team}</td><td><Link to={`/flows/${f.key}`}>{f.key}</Link> <button className="linkish" aria-label={`select ${f.key} with its up- and downstream`} onClick={() => setQuery(`+${f.key}+`)}>±</button></td>
                <td>{runOf(f).executionId ? <Link to={`/executions/${runOf(f).executionId}`}><StateMark state={runOf(f).state} /></Link> : <StateMark state={undefined} />}</td></tr>
            ))}</tbody>
          </table>
          {rows.length > 1000 && <p className="hint">First 1,000 of {rows.length}: filter to see the others.</p>}
        </section>
      </div>
    </div>
  );
}
