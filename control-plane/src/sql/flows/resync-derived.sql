-- Re-derives a flow's edges and table references from the given sets, if the flow is
-- still at the given revision. Needed after a write that waited on a concurrent writer
-- (see put-flow.sql): this statement's fresh snapshot sees every committed derived row,
-- and the row lock makes a newer writer (who would own the rows) skip us or wait.
-- $1 namespace, $2 flow id, $3 revision, $4 edges jsonb [{namespace, flowId, kind}],
-- $5 table refs jsonb [{dataset, table, kind}]
WITH
f AS (
  SELECT id FROM flows WHERE namespace = $1 AND flow_id = $2 AND revision = $3::int FOR UPDATE
),
new_edges AS (
  SELECT e.namespace, e."flowId" AS flow_id, e.kind
  FROM jsonb_to_recordset($4::jsonb) AS e(namespace text, "flowId" text, kind text)
),
new_refs AS (
  SELECT r.dataset, r."table", r.kind
  FROM jsonb_to_recordset($5::jsonb) AS r(dataset text, "table" text, kind text)
),
edges_gone AS (
  DELETE FROM flow_edges e USING f
  WHERE e.flow_pk = f.id
    AND NOT EXISTS (SELECT 1 FROM new_edges n WHERE n.namespace = e.upstream_namespace AND n.flow_id = e.upstream_flow_id AND n.kind = e.kind)
),
edges_new AS (
  INSERT INTO flow_edges (flow_pk, upstream_namespace, upstream_flow_id, kind)
  SELECT f.id, n.namespace, n.flow_id, n.kind FROM f CROSS JOIN new_edges n
  ON CONFLICT DO NOTHING
),
refs_gone AS (
  DELETE FROM flow_table_refs t USING f
  WHERE t.flow_pk = f.id
    AND NOT EXISTS (SELECT 1 FROM new_refs n WHERE n.dataset = t.dataset AND n."table" = t."table" AND n.kind = t.kind)
),
refs_new AS (
  INSERT INTO flow_table_refs (flow_pk, dataset, "table", kind)
  SELECT f.id, n.dataset, n."table", n.kind FROM f CROSS JOIN new_refs n
  ON CONFLICT DO NOTHING
)
SELECT count(*)::int AS resynced FROM f
