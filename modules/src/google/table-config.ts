/**
 * The Google target's mapping, as plain data: a table or view of the domain →
 * the attributes of its google_bigquery_table. Everything comes from schema.json (the
 * `bq show` table resource, or just its fields) and table.yaml:
 *
 * - `schema`: the fields array as JSON, every key kept as `bq` printed it (modes, nested
 *   RECORD fields, descriptions, policyTags…): it is already the BigQuery API format the
 *   Google provider expects;
 * - description and labels: table.yaml wins over the `bq show` document, labels merged;
 * - `timePartitioning` / `rangePartitioning` / `clustering` / `requirePartitionFilter`:
 *   `bq` prints numbers as strings (`"expirationMs": "7776000000"`), the provider wants
 *   numbers; `requirePartitionFilter` inside timePartitioning is deprecated upstream and
 *   moves to the top-level attribute;
 * - a view: `view { query = view.sql, use_legacy_sql = false }`, plus a schema only when
 *   the view folder has a schema.json (for column descriptions).
 *
 * Every string a user wrote is escaped for Terraform templates (`${`, `%{`).
 */
import type { TableModel, ViewModel } from "../repo/domain-model.ts";
import type { SchemaField, TableSchema } from "../repo/schema-json.ts";
import { escapeTerraformTemplate } from "../terraform/escape.ts";
import type { GoogleBigqueryTableConfig } from "./bigquery-table.ts";

export type GoogleTableAttributes = Omit<GoogleBigqueryTableConfig, "dependsOn" | "provider" | "count" | "lifecycle" | "forEach" | "provisioners" | "connection">;

export function googleTableAttributes(project: string, o: TableModel | ViewModel): GoogleTableAttributes {
  const schema: TableSchema | undefined = o.schema;
  const description = o.description ?? schema?.description;
  const labels = { ...(schema?.labels ?? {}), ...o.labels };
  const sortedLabels = Object.fromEntries(Object.keys(labels).sort().map((k) => [k, escapeTerraformTemplate(labels[k]!)]));
  const base: GoogleTableAttributes = {
    project,
    datasetId: o.dataset,
    tableId: o.name,
    ...(description !== undefined ? { description: escapeTerraformTemplate(description) } : {}),
    ...(Object.keys(sortedLabels).length > 0 ? { labels: sortedLabels } : {}),
    ...(schema ? { schema: escapeTerraformTemplate(JSON.stringify(schema.fields.map(plainField))) } : {}),
  };
  if (o.kind === "view") return { ...base, view: { query: escapeTerraformTemplate(o.sql), useLegacySql: false } };
  return { ...base, ...partitioning(o.schema) };
}

function partitioning(schema: TableSchema): Partial<GoogleTableAttributes> {
  const tp = schema.timePartitioning;
  const rp = schema.rangePartitioning;
  const requireFilter = schema.requirePartitionFilter ?? tp?.requirePartitionFilter;
  return {
    ...(tp
      ? { timePartitioning: { type: tp.type, ...(tp.field !== undefined ? { field: tp.field } : {}), ...(tp.expirationMs !== undefined ? { expirationMs: Number(tp.expirationMs) } : {}) } }
      : {}),
    ...(rp ? { rangePartitioning: { field: rp.field, range: { start: Number(rp.range.start), end: Number(rp.range.end), interval: Number(rp.range.interval) } } } : {}),
    ...(schema.clustering ? { clustering: [...schema.clustering.fields] } : {}),
    ...(requireFilter !== undefined ? { requirePartitionFilter: requireFilter } : {}),
  };
}

/** A field as the API takes it: the keys as written, nested fields recursively (a copy, so the model stays untouched). */
function plainField(f: SchemaField): Record<string, unknown> {
  const { fields, ...rest } = f;
  return fields ? { ...rest, fields: fields.map(plainField) } : { ...rest };
}
