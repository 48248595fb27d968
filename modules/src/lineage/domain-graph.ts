/**
 * The lineage of a domain: which flows start which. Each table's references (from its
 * SQL, see @meshplane/rules sql-references.ts, plus table.yaml `depends_on`) are resolved:
 *
 * - a table or view of this domain → an intra-domain edge; the reader's flow gets a
 *   `flow` trigger on that table's flow (`<dataset>.<table>` in this namespace). Views
 *   have no data of their own, so a table reading a view is triggered by whatever the
 *   view reads, looked through transitively;
 * - a table of a dataset listed under domain.yaml `upstream` → a cross-namespace
 *   trigger on `<that namespace>/<dataset>.<table>` (every domain names its flows that
 *   way), and a required trigger grant {upstreamNamespace, downstreamNamespace};
 * - anything else (landing tables, external sources, other projects) → no trigger.
 *
 * A table reading itself (incremental loads read their own MAX(ts)) is not a
 * dependency. A `depends_on` entry must resolve to this domain or an upstream dataset:
 * it was written on purpose, so a typo there is an error, not a silent no-op.
 * Cycles are errors naming every file of the cycle. A table with no trigger gets the
 * schedule of its table.yaml or the domain default, and none at all is an error: it
 * would never run. A table.yaml schedule is always kept, in addition to any triggers.
 *
 * Wildcard reads (`ds.events_*`) depend on every table of this domain the pattern
 * matches; a wildcard on an upstream dataset cannot name a flow and becomes a warning.
 */
import { ModuleError, positionOf } from "../errors.ts";
import type { DomainModel, ObjectModel, SourceLocation } from "../repo/domain-model.ts";
import { findTableReferences, SqlSyntaxError, type SqlTableReferences } from "@meshplane/rules";

export interface FlowRef {
  readonly namespace: string;
  readonly flowId: string;
}

export interface ScheduleTrigger {
  readonly cron: string;
  readonly timezone?: string;
  /** Where the cron comes from. */
  readonly from: "table.yaml" | "domain.yaml";
}

export interface ObjectLineage {
  readonly id: string;
  readonly kind: "table" | "view";
  /** Direct dependencies on tables and views of this domain, sorted. */
  readonly dependsOn: string[];
  /** The flows whose success starts this object's flow, sorted by namespace then flowId. For a view: what a table reading it inherits (the view's own flow has no trigger). */
  readonly triggers: FlowRef[];
  /** Names read that start nothing (landing tables, external sources), sorted. */
  readonly external: string[];
  /** Tables only: present when the table.yaml sets one, or when no trigger starts the table. */
  readonly schedule?: ScheduleTrigger;
}

export interface LineageEdge {
  /** The upstream: an id of this domain, or `<namespace>/<dataset>.<table>` for another domain. */
  readonly from: string;
  /** The downstream object of this domain. */
  readonly to: string;
  readonly kind: "intra" | "cross";
  /** Where the dependency is written. */
  readonly location: SourceLocation;
}

export interface RequiredGrant {
  readonly upstreamNamespace: string;
  readonly downstreamNamespace: string;
  readonly kinds: ["trigger"];
  /** Which flows of this domain listen to which upstream flows, sorted. */
  readonly neededBy: { readonly flowId: string; readonly upstreamFlowId: string }[];
}

export interface LineageWarning {
  readonly location: SourceLocation;
  readonly message: string;
}

export interface DomainGraph {
  readonly namespace: string;
  /** Sorted by id. */
  readonly objects: ObjectLineage[];
  /** Sorted by (to, from). */
  readonly edges: LineageEdge[];
  /** Sorted by upstreamNamespace. */
  readonly requiredGrants: RequiredGrant[];
  readonly warnings: LineageWarning[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildDomainGraph(domain: DomainModel): DomainGraph {
  const objects: ObjectModel[] = [...domain.tables, ...domain.views].sort((a, b) => compare(a.id, b.id));
  const byId = new Map(objects.map((o) => [o.id, o]));
  const upstream = new Map(domain.upstream.map((u) => [u.dataset, u.namespace]));
  const edges: LineageEdge[] = [];
  const external = new Map<string, Set<string>>();
  const warnings: LineageWarning[] = [];

  const resolve = (o: ObjectModel, ref: { project?: string | undefined; dataset: string; table: string }, location: SourceLocation, declared: boolean) => {
    const name = `${ref.project !== undefined ? `${ref.project}.` : ""}${ref.dataset}.${ref.table}`;
    const ours = ref.project === undefined || ref.project === domain.project;
    const matches = ref.table.endsWith("*") ? objects.filter((t) => t.dataset === ref.dataset && t.name.startsWith(ref.table.slice(0, -1))).map((t) => t.id) : byId.has(`${ref.dataset}.${ref.table}`) ? [`${ref.dataset}.${ref.table}`] : [];
    if (ours && matches.length > 0) {
      if (declared && matches.includes(o.id)) throw new ModuleError({ ...location, problem: `${o.id} depends on itself`, received: name, expected: "another table" });
      for (const id of matches) if (id !== o.id) edges.push({ from: id, to: o.id, kind: "intra", location });
      return;
    }
    const namespace = upstream.get(ref.dataset);
    if (namespace !== undefined && !ref.table.endsWith("*")) {
      edges.push({ from: `${namespace}/${ref.dataset}.${ref.table}`, to: o.id, kind: "cross", location });
      return;
    }
    if (namespace !== undefined) warnings.push({ location, message: `${name} is a wildcard on the upstream dataset ${ref.dataset}: it starts no flow (list the tables in depends_on)` });
    if (declared) {
      throw new ModuleError({ ...location, problem: `depends_on ${name} is neither a table of this domain nor in an upstream dataset`, received: name, expected: `a table of this domain, or of a dataset listed under upstream in ${domain.domainFile}` });
    }
    if (!external.has(o.id)) external.set(o.id, new Set());
    external.get(o.id)!.add(name);
  };

  const unqualified: LineageWarning[] = [];
  for (const o of objects) {
    const refs = sqlReferences(o);
    for (const ref of refs.tables) if (ref.role === "read") resolve(o, ref, { file: o.sqlFile, line: ref.line, column: ref.column }, false);
    for (const dep of o.dependsOn) resolve(o, dep, dep.location, true);
    for (const u of refs.unqualified) {
      unqualified.push({ location: { file: o.sqlFile, line: u.line, column: u.column }, message: `${u.name} has no dataset: lineage cannot resolve it (write dataset.${u.name})` });
    }
  }
  const uniqueEdges = dedupe(edges);
  const order = topologicalOrder(objects, uniqueEdges, byId);

  const incomingOf = new Map<string, LineageEdge[]>();
  for (const e of uniqueEdges) incomingOf.set(e.to, [...(incomingOf.get(e.to) ?? []), e]);
  const lineage = new Map<string, ObjectLineage>();
  for (const id of order) {
    const o = byId.get(id)!;
    const incoming = incomingOf.get(id) ?? [];
    const triggers = new Map<string, FlowRef>();
    for (const e of incoming) {
      if (e.kind === "cross") {
        const [namespace, flowId] = e.from.split("/") as [string, string];
        triggers.set(e.from, { namespace, flowId });
      } else if (byId.get(e.from)!.kind === "view") {
        for (const t of lineage.get(e.from)!.triggers) triggers.set(`${t.namespace}/${t.flowId}`, t);
      } else {
        triggers.set(`${domain.namespace}/${e.from}`, { namespace: domain.namespace, flowId: e.from });
      }
    }
    const sortedTriggers = [...triggers.values()].sort((a, b) => compare(a.namespace, b.namespace) || compare(a.flowId, b.flowId));
    lineage.set(id, {
      id,
      kind: o.kind,
      dependsOn: [...new Set(incoming.filter((e) => e.kind === "intra").map((e) => e.from))].sort(compare),
      triggers: sortedTriggers,
      external: [...(external.get(id) ?? [])].sort(compare),
      ...(o.kind === "table" ? scheduleOf(domain, o, sortedTriggers.length > 0) : {}),
    });
  }

  return {
    namespace: domain.namespace,
    objects: objects.map((o) => lineage.get(o.id)!),
    edges: uniqueEdges.sort((a, b) => compare(a.to, b.to) || compare(a.from, b.from)),
    requiredGrants: grantsOf(domain.namespace, objects, lineage),
    warnings: [...warnings, ...unqualified],
  };
}

/** The tables an object's SQL names; an unterminated literal becomes a positioned ModuleError. */
function sqlReferences(o: ObjectModel): SqlTableReferences {
  try {
    return findTableReferences(o.sql);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    throw new ModuleError({ file: o.sqlFile, ...positionOf(o.sql, error.offset), problem: `${error.problem}: lineage cannot read the rest of the file`, expected: "SQL whose strings, `identifiers` and /* comments */ are closed" });
  }
}

function dedupe(edges: LineageEdge[]): LineageEdge[] {
  const seen = new Map<string, LineageEdge>();
  for (const e of edges) if (!seen.has(`${e.from}>${e.to}`)) seen.set(`${e.from}>${e.to}`, e);
  return [...seen.values()];
}

/** Upstream before downstream; a cycle is a ModuleError listing each step and its file. */
function topologicalOrder(objects: ObjectModel[], edges: LineageEdge[], byId: Map<string, ObjectModel>): string[] {
  const upstreamOf = new Map<string, LineageEdge[]>(objects.map((o) => [o.id, []]));
  for (const e of edges) if (e.kind === "intra") upstreamOf.get(e.to)!.push(e);
  for (const list of upstreamOf.values()) list.sort((a, b) => compare(a.from, b.from));
  const state = new Map<string, "visiting" | "done">();
  const order: string[] = [];
  const stack: LineageEdge[] = [];
  const visit = (id: string) => {
    state.set(id, "visiting");
    for (const e of upstreamOf.get(id)!) {
      if (state.get(e.from) === "visiting") {
        const start = stack.findIndex((s) => s.to === e.from);
        throw cycleError([...stack.slice(start === -1 ? stack.length : start), e], byId);
      }
      if (state.get(e.from) === undefined) {
        stack.push(e);
        visit(e.from);
        stack.pop();
      }
    }
    state.set(id, "done");
    order.push(id);
  };
  for (const o of objects) if (state.get(o.id) === undefined) visit(o.id);
  return order;
}

function cycleError(cycle: LineageEdge[], byId: Map<string, ObjectModel>): ModuleError {
  // Each edge says "to reads from"; start at the smallest id so the message is stable.
  const first = cycle.reduce((best, e, k) => (compare(e.to, cycle[best]!.to) < 0 ? k : best), 0);
  const steps = [...cycle.slice(first), ...cycle.slice(0, first)];
  const where = (l: SourceLocation) => `${l.file}${l.line !== undefined ? `:${l.line}:${l.column ?? 1}` : ""}`;
  const files = [...new Set(steps.map((e) => e.location.file))];
  const head = steps[0]!;
  return new ModuleError({
    ...head.location,
    problem: `dependency cycle: ${steps.map((e) => `${e.to} ${e.location.file.endsWith(".yaml") ? "depends on" : "reads"} ${e.from} (${where(e.location)})`).join(", ")}`,
    received: [head.to, ...steps.map((e) => e.from)].join(" → "),
    expected: `no cycle: remove one of these references or depends_on entries (${[...new Set(steps.map((e) => byId.get(e.to)!.folder))].join(", ")})`,
    related: files.slice(1),
  });
}

function scheduleOf(domain: DomainModel, table: Extract<ObjectModel, { kind: "table" }>, triggered: boolean): { schedule?: ScheduleTrigger } {
  const timezone = domain.defaults.timezone !== undefined ? { timezone: domain.defaults.timezone } : {};
  if (table.schedule !== undefined) return { schedule: { cron: table.schedule, ...timezone, from: "table.yaml" } };
  if (triggered) return {};
  if (domain.defaults.schedule !== undefined) return { schedule: { cron: domain.defaults.schedule, ...timezone, from: "domain.yaml" } };
  throw new ModuleError({
    file: table.configFile ?? table.sqlFile,
    problem: `table ${table.id} reads no table of this domain or of an upstream dataset, and has no schedule: it would never run`,
    expected: `schedule in ${table.folder}/table.yaml, defaults.schedule in ${domain.domainFile}, or a depends_on`,
  });
}

function grantsOf(namespace: string, objects: ObjectModel[], lineage: Map<string, ObjectLineage>): RequiredGrant[] {
  const byNamespace = new Map<string, Map<string, { flowId: string; upstreamFlowId: string }>>();
  for (const o of objects) {
    if (o.kind !== "table") continue;
    for (const t of lineage.get(o.id)!.triggers) {
      if (t.namespace === namespace) continue;
      if (!byNamespace.has(t.namespace)) byNamespace.set(t.namespace, new Map());
      byNamespace.get(t.namespace)!.set(`${o.id}<${t.flowId}`, { flowId: o.id, upstreamFlowId: t.flowId });
    }
  }
  return [...byNamespace.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([upstreamNamespace, needed]) => ({
      upstreamNamespace,
      downstreamNamespace: namespace,
      kinds: ["trigger"],
      neededBy: [...needed.values()].sort((a, b) => compare(a.flowId, b.flowId) || compare(a.upstreamFlowId, b.upstreamFlowId)),
    }));
}

/** The lineage of one object (throws if the id is not in the graph). */
export function lineageOf(graph: DomainGraph, id: string): ObjectLineage {
  const found = graph.objects.find((o) => o.id === id);
  if (!found) throw new Error(`no object ${id} in the lineage of ${graph.namespace}`);
  return found;
}
