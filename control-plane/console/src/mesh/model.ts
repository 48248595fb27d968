import { parse } from "yaml";
import type { AuditEvent, ExecutionSummary, Flow, Namespace, TriggerGrant } from "../api.ts";

// The mesh as the map draws it: flows (grouped by team, then namespace) and the edges their
// sources declare (flow triggers and core.subflow calls), each cross-team edge with its verdict.
export interface MeshFlow { key: string; namespace: string; id: string; team: string; state?: string; executionId?: string }
export type EdgeVerdict =
  | { kind: "same-team" }
  | { kind: "granted"; grant: TriggerGrant }
  | { kind: "refused"; event: AuditEvent }
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

/** The references a flow's source makes: its flow triggers' upstreams and its subflow calls (at any depth). */
export function referencesOf(source: string): { namespace: string; flowId: string; kind: "trigger" | "subflow" }[] {
  let doc: unknown;
  try { doc = parse(source); } catch { return []; }
  const refs: { namespace: string; flowId: string; kind: "trigger" | "subflow" }[] = [];
  const d = doc as { triggers?: { type?: string; upstream?: { namespace?: string; flowId?: string }[] }[]; tasks?: unknown };
  for (const t of d?.triggers ?? []) {
    if (t?.type !== "flow") continue;
    for (const u of t.upstream ?? []) if (u?.namespace && u.flowId) refs.push({ namespace: u.namespace, flowId: u.flowId, kind: "trigger" });
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if (o.type === "core.subflow" && typeof o.namespace === "string" && typeof o.flowId === "string") refs.push({ namespace: o.namespace, flowId: o.flowId, kind: "subflow" });
    Object.values(o).forEach(walk);
  };
  walk(d?.tasks);
  return refs;
}

function grantCovers(g: TriggerGrant, up: { namespace: string; id: string }, downNs: string, kind: "trigger" | "subflow"): boolean {
  return within(up.namespace, g.upstreamNamespace) && (g.upstreamFlow === null || g.upstreamFlow === up.id) && within(downNs, g.downstreamNamespace) && g.kinds.includes(kind);
}

export function buildMesh(input: { namespaces: Namespace[]; flows: Flow[]; grants: TriggerGrant[]; executions: ExecutionSummary[]; denied: AuditEvent[] }): Mesh {
  const latest = new Map<string, ExecutionSummary>();
  for (const e of input.executions) {
    const k = flowKey(e.namespace, e.flowId);
    const seen = latest.get(k);
    if (!seen || seen.createdAt < e.createdAt) latest.set(k, e);
  }
  const flows: MeshFlow[] = input.flows
    .map((f) => {
      const k = flowKey(f.namespace, f.id);
      const run = latest.get(k);
      return { key: k, namespace: f.namespace, id: f.id, team: ownerOf(input.namespaces, f.namespace), state: run?.state, executionId: run?.id };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
  const byKey = new Map(flows.map((f) => [f.key, f]));
  const edges: MeshEdge[] = [];
  for (const f of input.flows) {
    for (const r of referencesOf(f.source)) {
      const from = flowKey(r.namespace, r.flowId);
      const to = flowKey(f.namespace, f.id);
      const upTeam = byKey.get(from)?.team ?? ownerOf(input.namespaces, r.namespace);
      const downTeam = byKey.get(to)!.team;
      const crossTeam = upTeam !== downTeam;
      let verdict: EdgeVerdict = { kind: "same-team" };
      if (crossTeam) {
        const grant = input.grants.find((g) => grantCovers(g, { namespace: r.namespace, id: r.flowId }, f.namespace, r.kind));
        // A refusal counts only while no grant covers the edge: a grant made since lifts it.
        const event = input.denied.find((e) => {
          const a = e.after as { kind?: string; upstream?: { namespace?: string; flowId?: string } } | null;
          return e.resourceId === to && a?.kind === r.kind && a.upstream?.namespace === r.namespace && a.upstream?.flowId === r.flowId;
        });
        verdict = grant ? { kind: "granted", grant } : event ? { kind: "refused", event } : { kind: "missing" };
      }
      edges.push({ key: `${from}->${to}:${r.kind}`, from, to, kind: r.kind, crossTeam, verdict });
    }
  }
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
