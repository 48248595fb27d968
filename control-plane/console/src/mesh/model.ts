import type { MeshData, Namespace, TriggerGrant } from "../api.ts";

// The mesh as the map draws it: flows (grouped by team, then namespace) and the edges their
// sources declare (flow triggers and core.subflow calls, as GET /mesh returns them), each
// cross-team edge with its verdict.
export interface MeshFlow { key: string; namespace: string; id: string; team: string; state?: string; executionId?: string }
export type EdgeVerdict =
  | { kind: "same-team" }
  | { kind: "granted"; grant: TriggerGrant }
  | { kind: "refused"; at: string }
  | { kind: "missing" };
export interface MeshEdge { key: string; from: string; to: string; kind: "trigger" | "subflow"; crossTeam: boolean; verdict: EdgeVerdict }
export interface Mesh { flows: MeshFlow[]; edges: MeshEdge[] }

export const flowKey = (namespace: string, id: string) => `${namespace}/${id}`;
const within = (ns: string, scope: string) => ns === scope || ns.startsWith(`${scope}.`);

/** The namespace's owner team: the nearest namespace of the list at or above it. */
export function ownerOf(namespaces: Namespace[], ns: string): string {
  const best = namespaces.filter((n) => within(ns, n.name)).sort((a, b) => b.name.length - a.name.length)[0];
  return best?.ownerTeam ?? "?";
}

function grantCovers(g: TriggerGrant, up: { namespace: string; id: string }, downNs: string, kind: "trigger" | "subflow"): boolean {
  return within(up.namespace, g.upstreamNamespace) && (g.upstreamFlow === null || g.upstreamFlow === up.id) && within(downNs, g.downstreamNamespace) && g.kinds.includes(kind);
}

export function buildMesh(input: { namespaces: Namespace[]; grants: TriggerGrant[]; mesh: MeshData }): Mesh {
  const flows: MeshFlow[] = input.mesh.flows
    .map((f) => ({ key: flowKey(f.namespace, f.id), namespace: f.namespace, id: f.id, team: ownerOf(input.namespaces, f.namespace), state: f.latestExecution?.state, executionId: f.latestExecution?.id }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const byKey = new Map(flows.map((f) => [f.key, f]));
  const edges: MeshEdge[] = input.mesh.edges.map((e) => {
    const from = flowKey(e.from.namespace, e.from.id);
    const to = flowKey(e.to.namespace, e.to.id);
    const upTeam = byKey.get(from)?.team ?? ownerOf(input.namespaces, e.from.namespace);
    const crossTeam = upTeam !== byKey.get(to)?.team;
    let verdict: EdgeVerdict = { kind: "same-team" };
    if (crossTeam) {
      const grant = input.grants.find((g) => grantCovers(g, e.from, e.to.namespace, e.kind));
      // A refusal counts only while no grant covers the edge: a grant made since lifts it.
      verdict = grant ? { kind: "granted", grant } : e.refusedAt ? { kind: "refused", at: e.refusedAt } : { kind: "missing" };
    }
    return { key: `${from}->${to}:${e.kind}`, from, to, kind: e.kind, crossTeam, verdict };
  });
  edges.sort((a, b) => a.key.localeCompare(b.key));
  return { flows, edges };
}

export function verdictLabel(v: EdgeVerdict): string {
  switch (v.kind) {
    case "same-team": return "same team";
    case "granted": return `grant ${v.grant.upstreamNamespace}${v.grant.upstreamFlow ? `/${v.grant.upstreamFlow}` : ""} → ${v.grant.downstreamNamespace}`;
    case "refused": return "refused at run time";
    case "missing": return "missing grant";
  }
}

/**
 * The selection syntax of the search box, dbt-like: words are ANDed; `team:supply`,
 * `ns:retail.sales` (its subtree), `+flow` (the flow and everything upstream of it),
 * `flow+` (and everything downstream), `+flow+` (both); other words match in namespace/id.
 */
export function select(mesh: Mesh, query: string): Set<string> {
  let keys = new Set(mesh.flows.map((f) => f.key));
  const ups = new Map<string, string[]>();
  const downs = new Map<string, string[]>();
  for (const e of mesh.edges) {
    ups.set(e.to, [...(ups.get(e.to) ?? []), e.from]);
    downs.set(e.from, [...(downs.get(e.from) ?? []), e.to]);
  }
  const reach = (start: string[], next: Map<string, string[]>) => {
    const seen = new Set(start);
    const todo = [...start];
    while (todo.length) for (const n of next.get(todo.pop()!) ?? []) if (!seen.has(n)) { seen.add(n); todo.push(n); }
    return seen;
  };
  for (const word of query.trim().split(/\s+/).filter(Boolean)) {
    let matched: Set<string>;
    if (word.startsWith("team:")) matched = new Set(mesh.flows.filter((f) => f.team === word.slice(5)).map((f) => f.key));
    else if (word.startsWith("ns:")) matched = new Set(mesh.flows.filter((f) => within(f.namespace, word.slice(3))).map((f) => f.key));
    else if (word.startsWith("+") || word.endsWith("+")) {
      const name = word.replace(/^\+/, "").replace(/\+$/, "");
      const seeds = mesh.flows.filter((f) => f.key === name || f.id === name).map((f) => f.key);
      matched = new Set(seeds);
      if (word.startsWith("+")) reach(seeds, ups).forEach((k) => matched.add(k));
      if (word.endsWith("+")) reach(seeds, downs).forEach((k) => matched.add(k));
    } else matched = new Set(mesh.flows.filter((f) => f.key.toLowerCase().includes(word.toLowerCase())).map((f) => f.key));
    keys = new Set([...keys].filter((k) => matched.has(k)));
  }
  return keys;
}
