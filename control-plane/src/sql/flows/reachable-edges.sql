-- The stored edges reachable upstream from a set of start references, skipping the
-- edges of one flow (the one being written: its edges are about to be replaced).
-- Read-only; used to name the cycle a write would close, and by /flows/validate.
-- $1 namespace, $2 flow id, $3 start edges jsonb [{namespace, flowId}]
WITH RECURSIVE
start AS (
  SELECT s.namespace, s."flowId" AS flow_id FROM jsonb_to_recordset($3::jsonb) AS s(namespace text, "flowId" text)
),
reach(namespace, flow_id) AS (
  SELECT namespace, flow_id FROM start
  UNION
  SELECT e.upstream_namespace, e.upstream_flow_id
  FROM reach r
  -- OFFSET 0 keeps this a parameterized index lookup per node: otherwise the planner
  -- may hash every flow once per write, which grows with the size of the installation.
  CROSS JOIN LATERAL (
    SELECT f.id FROM flows f WHERE f.namespace = r.namespace AND f.flow_id = r.flow_id AND f.deleted_at IS NULL OFFSET 0
  ) f
  JOIN flow_edges e ON e.flow_pk = f.id
  WHERE NOT (r.namespace = $1 AND r.flow_id = $2)
)
SELECT DISTINCT f.namespace, f.flow_id, e.upstream_namespace, e.upstream_flow_id, e.kind
FROM reach r
JOIN flows f ON f.namespace = r.namespace AND f.flow_id = r.flow_id AND f.deleted_at IS NULL
JOIN flow_edges e ON e.flow_pk = f.id
WHERE NOT (r.namespace = $1 AND r.flow_id = $2)
