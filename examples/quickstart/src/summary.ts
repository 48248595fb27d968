/**
 * What the control plane holds after the run, read through the API with the admin key
 * (what anyone could do with curl): per namespace its flows (feed type, keys, triggers)
 * and table contracts, the flow triggers that cross a namespace boundary with the grant
 * that allows each, and the latest audit events.
 */
import { parse } from "yaml";
// The quickstart's own landing namespace (mesh.ts) is not part of the mesh the repositories declare.
import { LANDING_NAMESPACE } from "./landing.ts";

export interface FlowRef {
  readonly namespace: string;
  readonly flowId: string;
}
export interface FlowView {
  readonly namespace: string;
  readonly id: string;
  readonly revision: number;
  /** The sql.query task's writeDisposition; undefined for a view's flow. */
  readonly feedType?: string;
  readonly keys: string[];
  /** "15 * * * * Europe/Paris" */
  readonly schedules: string[];
  readonly upstream: FlowRef[];
}
export interface TableView {
  readonly name: string;
  readonly feedType: string;
  readonly keys: string[];
  readonly version: string;
  readonly partitioning?: string;
  readonly clustering: string[];
}
export interface NamespaceView {
  readonly name: string;
  readonly ownerTeam: string;
  readonly flows: FlowView[];
  readonly tables: TableView[];
}
export interface Grant {
  readonly upstreamNamespace: string;
  readonly upstreamFlow?: string;
  readonly downstreamNamespace: string;
  readonly kinds: string[];
}
export interface CrossTeamTrigger {
  readonly upstream: FlowRef;
  readonly downstream: FlowRef;
  readonly grant?: Grant;
}
export interface AuditLine {
  readonly at: string;
  readonly subject: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
}
export interface Summary {
  readonly namespaces: NamespaceView[];
  readonly crossTeam: CrossTeamTrigger[];
  readonly audit: AuditLine[];
}

export async function readSummary(api: string, adminKey: string, auditCount = 8): Promise<Summary> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${adminKey}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const all = async <T>(path: string): Promise<T[]> => {
    const items: T[] = [];
    for (let cursor: string | undefined; ; ) {
      const sep = path.includes("?") ? "&" : "?";
      const page = await get<{ items: T[]; nextCursor?: string | null }>(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      items.push(...page.items);
      if (!page.nextCursor) return items;
      cursor = page.nextCursor;
    }
  };

  const namespaces = (await all<{ name: string; ownerTeam: string }>("/namespaces?prefix=retail")).filter((n) => n.name !== "retail" && n.name !== LANDING_NAMESPACE);
  const views: NamespaceView[] = [];
  for (const ns of namespaces.sort((a, b) => a.name.localeCompare(b.name))) {
    const flows = await all<{ namespace: string; id: string; revision: number; source: string }>(`/flows/${ns.name}`);
    const tables = await all<TableContract>(`/tables/${ns.name}`);
    views.push({ name: ns.name, ownerTeam: ns.ownerTeam, flows: flows.map(flowView).sort(byId), tables: tables.map(tableView).sort((a, b) => a.name.localeCompare(b.name)) });
  }
  const grants = await all<Grant>("/trigger-grants");
  const crossTeam = views
    .flatMap((ns) => ns.flows)
    .flatMap((f) => f.upstream.filter((u) => u.namespace !== f.namespace).map((u) => ({ upstream: u, downstream: { namespace: f.namespace, flowId: f.id } })))
    .map((edge) => {
      const grant = grants.find((g) => covers(g.upstreamNamespace, edge.upstream.namespace) && covers(g.downstreamNamespace, edge.downstream.namespace) && (g.upstreamFlow === undefined || g.upstreamFlow === null || g.upstreamFlow === edge.upstream.flowId) && g.kinds.includes("trigger"));
      return grant ? { ...edge, grant } : edge;
    });
  const audit = (await get<{ items: AuditLine[] }>(`/audit?limit=${auditCount}`)).items;
  return { namespaces: views, crossTeam, audit };
}

interface TableContract {
  dataset: string;
  table: string;
  feedType: string;
  keys: string[];
  version: string;
  schema: { timePartitioning?: { type: string; field?: string }; rangePartitioning?: { field: string }; clustering?: { fields: string[] } };
}

function tableView(t: TableContract): TableView {
  const p = t.schema.timePartitioning;
  const partitioning = p ? `${p.type} on ${p.field ?? "_PARTITIONTIME"}` : t.schema.rangePartitioning ? `RANGE on ${t.schema.rangePartitioning.field}` : undefined;
  return { name: `${t.dataset}.${t.table}`, feedType: t.feedType, keys: t.keys, version: t.version, ...(partitioning ? { partitioning } : {}), clustering: t.schema.clustering?.fields ?? [] };
}

interface FlowDoc {
  tasks?: { type?: string; writeDisposition?: string; keys?: string[] }[];
  triggers?: { type?: string; cron?: string; timezone?: string; upstream?: FlowRef[] }[];
}

function flowView(f: { namespace: string; id: string; revision: number; source: string }): FlowView {
  const doc = (parse(f.source) ?? {}) as FlowDoc;
  const task = doc.tasks?.find((t) => t.writeDisposition !== undefined);
  const triggers = doc.triggers ?? [];
  return {
    namespace: f.namespace,
    id: f.id,
    revision: f.revision,
    ...(task?.writeDisposition ? { feedType: task.writeDisposition } : {}),
    keys: task?.keys ?? [],
    schedules: triggers.filter((t) => t.type === "schedule").map((t) => `${t.cron}${t.timezone ? ` ${t.timezone}` : ""}`),
    upstream: triggers.filter((t) => t.type === "flow").flatMap((t) => t.upstream ?? []),
  };
}

/** A grant on a namespace applies to its subtree. */
function covers(granted: string, namespace: string): boolean {
  return namespace === granted || namespace.startsWith(`${granted}.`);
}

const byId = (a: FlowView, b: FlowView) => a.id.localeCompare(b.id);
