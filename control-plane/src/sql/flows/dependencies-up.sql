-- The flows a flow listens to or calls (its upstream), directly or transitively.
-- UNION keeps each node once, so the walk ends on cycles; only live flows have edges.
-- Rows are nodes (kind = 'node') and edges (kind = 'trigger' | 'subflow').
-- $1 namespace, $2 flow id, $3 recursive
WITH RECURSIVE walk(namespace, flow_id) AS (
  SELECT $1::text, $2::text
  UNION
  SELECT e.upstream_namespace, e.upstream_flow_id
  FROM walk w
  -- OFFSET 0: a parameterized index lookup per node, never a scan of every flow per level.
  CROSS JOIN LATERAL (
    SELECT f.id FROM flows f WHERE f.namespace = w.namespace AND f.flow_id = w.flow_id AND f.deleted_at IS NULL OFFSET 0
  ) f
  JOIN flow_edges e ON e.flow_pk = f.id
  WHERE $3::boolean OR (w.namespace = $1 AND w.flow_id = $2)
)
SELECT 'node' AS kind, w.namespace AS from_namespace, w.flow_id AS from_flow_id, NULL AS to_namespace, NULL AS to_flow_id,
       EXISTS (SELECT 1 FROM flows f WHERE f.namespace = w.namespace AND f.flow_id = w.flow_id AND f.deleted_at IS NULL) AS registered
FROM walk w
UNION ALL
-- DISTINCT: two triggers of one flow may listen to the same upstream (one edge row each).
SELECT DISTINCT e.kind, e.upstream_namespace, e.upstream_flow_id, f.namespace, f.flow_id, NULL::boolean
FROM walk w
JOIN flows f ON f.namespace = w.namespace AND f.flow_id = w.flow_id AND f.deleted_at IS NULL
JOIN flow_edges e ON e.flow_pk = f.id
WHERE $3::boolean OR (w.namespace = $1 AND w.flow_id = $2)
