/**
 * The flow of each table and view of a domain, in the flow YAML of SPEC §3.
 *
 * A table's flow: id `<dataset>.<table>` in the domain's namespace, one `sql.query` task
 * (id `load`) carrying the SQL exactly as in query.sql, `destinationTable`, the feed type
 * as `writeDisposition` and, for MODE_DELTA, its `keys`; then its triggers: `schedule`
 * (cron, timezone) when the lineage gives it one, and `upstream`, one `flow` trigger
 * listing every upstream flow (states [SUCCESS]).
 *
 * A view's flow (decision): views are created by a flow too, so a domain on the
 * Meshplane target alone still gets its views into BigQuery: one `sql.query` task (id
 * `create_view`) running `CREATE OR REPLACE VIEW \`<dataset>.<view>\` AS` followed by
 * view.sql unchanged, with no writeDisposition and no trigger — a view holds no data,
 * so it is run when it is deployed or changed, never on a schedule; tables that read it
 * are triggered by what the view reads (see domain-graph.ts). With the Google target
 * the construct may instead create the view as a google_bigquery_table.
 *
 * Output is deterministic: keys in a fixed order (id, namespace, description, labels,
 * tasks, triggers), labels sorted by key, upstreams sorted by namespace then flow id,
 * no line folding. The SQL reaches the YAML byte for byte (the `yaml` library picks a
 * block or quoted style that parses back to the same string; tests check it). Escaping
 * `${` for Terraform is the construct's job (terraform/escape.ts), not this file's.
 */
import { stringify } from "yaml";
import type { DomainGraph, FlowRef, ObjectLineage } from "../lineage/domain-graph.ts";
import { lineageOf } from "../lineage/domain-graph.ts";
import type { FeedType } from "../repo/config-schemas.ts";
import type { DomainModel, TableModel, ViewModel } from "../repo/domain-model.ts";

export interface SqlQueryTask {
  readonly id: string;
  readonly type: "sql.query";
  readonly sql: string;
  readonly destinationTable?: string;
  readonly writeDisposition?: FeedType;
  readonly keys?: string[];
}

export type FlowTrigger =
  | { readonly id: "schedule"; readonly type: "schedule"; readonly cron: string; readonly timezone?: string }
  | { readonly id: "upstream"; readonly type: "flow"; readonly upstream: FlowRef[]; readonly states: ["SUCCESS"] };

export interface FlowDocument {
  readonly id: string;
  readonly namespace: string;
  readonly description?: string;
  readonly labels?: Record<string, string>;
  readonly tasks: [SqlQueryTask];
  readonly triggers?: FlowTrigger[];
}

export interface DomainFlow {
  readonly id: string;
  readonly kind: "table" | "view";
  /** The Terraform resource name of the object (see terraform/resource-names.ts). */
  readonly resourceName: string;
  /** The file the flow comes from (query.sql / view.sql), for messages. */
  readonly sqlFile: string;
  readonly document: FlowDocument;
  /** The flow YAML, not yet escaped for Terraform. */
  readonly yaml: string;
}

export function tableFlow(domain: DomainModel, table: TableModel, lineage: ObjectLineage): FlowDocument {
  const task: SqlQueryTask = {
    id: "load",
    type: "sql.query",
    sql: table.sql,
    destinationTable: table.id,
    writeDisposition: table.feedType,
    ...(table.feedType === "MODE_DELTA" ? { keys: [...table.keys] } : {}),
  };
  const triggers: FlowTrigger[] = [];
  if (lineage.schedule) {
    triggers.push({ id: "schedule", type: "schedule", cron: lineage.schedule.cron, ...(lineage.schedule.timezone !== undefined ? { timezone: lineage.schedule.timezone } : {}) });
  }
  if (lineage.triggers.length > 0) {
    triggers.push({ id: "upstream", type: "flow", upstream: sortFlowRefs(lineage.triggers).map((t) => ({ namespace: t.namespace, flowId: t.flowId })), states: ["SUCCESS"] });
  }
  return { ...header(domain, table), tasks: [task], ...(triggers.length > 0 ? { triggers } : {}) };
}

export function viewFlow(domain: DomainModel, view: ViewModel): FlowDocument {
  const sql = `CREATE OR REPLACE VIEW \`${view.dataset}.${view.name}\` AS\n${view.sql}`;
  return { ...header(domain, view), tasks: [{ id: "create_view", type: "sql.query", sql }] };
}

/** Every flow of the domain, tables and views together, sorted by id. */
export function domainFlows(domain: DomainModel, graph: DomainGraph): DomainFlow[] {
  const flows: DomainFlow[] = [
    ...domain.tables.map((t) => ({ object: t, document: tableFlow(domain, t, lineageOf(graph, t.id)) })),
    ...domain.views.map((v) => ({ object: v, document: viewFlow(domain, v) })),
  ].map(({ object, document }) => ({ id: object.id, kind: object.kind, resourceName: object.resourceName, sqlFile: object.sqlFile, document, yaml: flowYaml(document) }));
  return flows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The YAML text of a flow document; keys keep the document's (fixed) order, no line is folded. */
export function flowYaml(document: FlowDocument): string {
  return stringify(document, { lineWidth: 0, minContentWidth: 0, indentSeq: true, aliasDuplicateObjects: false });
}

function header(domain: DomainModel, o: TableModel | ViewModel): { id: string; namespace: string; description?: string; labels?: Record<string, string> } {
  const labels = Object.keys(o.labels).sort();
  return {
    id: o.id,
    namespace: domain.namespace,
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(labels.length > 0 ? { labels: Object.fromEntries(labels.map((k) => [k, o.labels[k]!])) } : {}),
  };
}

function sortFlowRefs(refs: readonly FlowRef[]): FlowRef[] {
  return [...refs].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.flowId < b.flowId ? -1 : a.flowId > b.flowId ? 1 : 0));
}
