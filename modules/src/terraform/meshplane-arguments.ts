/**
 * A compiled domain → the arguments of its meshplane_table and meshplane_flow resources,
 * keyed by Terraform name. One mapping for both paths: SqlDomain (CDKTF) escapes these
 * values for Terraform templates and writes them into cdk.tf.json; the provider function
 * `provider::meshplane::sql_domain` returns them as they are (a function's result is a
 * value, never read as a template) and the HCL module under modules/hcl/sql-domain
 * creates them with for_each. Values here are raw: SQL and schema text byte for byte.
 */
import type { CompiledDomain } from "../compile-domain.ts";
import { lineageOf } from "../lineage/domain-graph.ts";
import type { TableModel } from "../repo/domain-model.ts";

export interface TableArguments {
  readonly namespace: string;
  readonly dataset: string;
  readonly table: string;
  /** schema.json as written (the provider compares it by meaning), so the plan shows the reviewed file. */
  readonly schema_json: string;
  readonly feed_type: string;
  /** null when empty: SqlDomain leaves the attribute out. */
  readonly keys: string[] | null;
  readonly description: string | null;
  /** table.yaml's labels, sorted; null when there are none (SqlDomain leaves the attribute out). */
  readonly labels: Readonly<Record<string, string>> | null;
}

export interface FlowArguments {
  readonly namespace: string;
  readonly flow_id: string;
  readonly source: string;
  /** Names (in the same map) of the domain's flows this one triggers on or reads through a view. */
  readonly upstream_flows: string[];
}

export interface RequiredGrantArguments {
  readonly upstream_namespace: string;
  readonly downstream_namespace: string;
  readonly kinds: string[];
  readonly needed_by: { readonly flow_id: string; readonly upstream_flow_id: string }[];
}

export interface MeshplaneArguments {
  readonly tables: Record<string, TableArguments>;
  readonly flows: Record<string, FlowArguments>;
  readonly requiredGrants: RequiredGrantArguments[];
  /** Lineage warnings as `file[:line:column]: message`, files relative to the domain root. */
  readonly warnings: string[];
}

export function tableArguments(namespace: string, schemaText: string, t: TableModel): TableArguments {
  return {
    namespace,
    dataset: t.dataset,
    table: t.name,
    schema_json: schemaText,
    feed_type: t.feedType,
    keys: t.keys.length > 0 ? [...t.keys] : null,
    description: t.description ?? null,
    labels: Object.keys(t.labels).length > 0 ? Object.fromEntries(Object.keys(t.labels).sort().map((k) => [k, t.labels[k]!])) : null,
  };
}

/**
 * `includeViews` false for the `both` target of SqlDomain (views then belong to
 * google_bigquery_table only). `schemaText` gives a table's schema.json as written.
 */
export function meshplaneArguments(compiled: CompiledDomain, schemaText: (file: string) => string, includeViews = true): MeshplaneArguments {
  const { domain, graph, flows } = compiled;
  const tables: Record<string, TableArguments> = {};
  for (const t of domain.tables) tables[t.resourceName] = tableArguments(domain.namespace, schemaText(t.schemaFile), t);
  const kept = flows.filter((f) => f.kind === "table" || includeViews);
  const names = new Map(kept.map((f) => [f.id, f.resourceName]));
  const out: Record<string, FlowArguments> = {};
  for (const f of kept) {
    const upstream = lineageOf(graph, f.id).dependsOn.flatMap((id) => (names.has(id) ? [names.get(id)!] : []));
    out[f.resourceName] = { namespace: domain.namespace, flow_id: f.id, source: f.yaml, upstream_flows: upstream };
  }
  return {
    tables,
    flows: out,
    requiredGrants: graph.requiredGrants.map((g) => ({
      upstream_namespace: g.upstreamNamespace,
      downstream_namespace: g.downstreamNamespace,
      kinds: [...g.kinds],
      needed_by: g.neededBy.map((n) => ({ flow_id: n.flowId, upstream_flow_id: n.upstreamFlowId })),
    })),
    warnings: graph.warnings.map((w) => `${w.location.file}${w.location.line !== undefined ? `:${w.location.line}:${w.location.column ?? 1}` : ""}: ${w.message}`),
  };
}
