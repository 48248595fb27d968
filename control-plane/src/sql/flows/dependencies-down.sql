-- The flows that listen to or call a flow (its downstream), directly or transitively.
-- UNION keeps each node once, so the walk ends on cycles; only live flows have edges.
-- Rows are nodes (kind = 'node') and edges (kind = 'trigger' | 'subflow').
-- $1 namespace, $2 flow id, $3 recursive
WITH RECURSIVE walk(namespace, flow_id) AS (
  SELECT $1::text, $2::text
  UNION
  SELECT f.namespace, f.flow_id
  FROM walk w
  -- OFFSET 0 keeps this a parameterized index lookup per node: the planner otherwise
  -- hashes the (tiny) work table and scans every edge once per level of the walk.
  CROSS JOIN LATERAL (
    SELECT e.flow_pk FROM flow_edges e WHERE e.upstream_namespace = w.namespace AND e.upstream_flow_id = w.flow_id OFFSET 0
  ) e
  JOIN flows f ON f.id = e.flow_pk AND f.deleted_at IS NULL
  WHERE $3::boolean OR (w.namespace = $1 AND w.flow_id = $2)
)
SELECT 'node' AS kind, w.namespace AS from_namespace, w.flow_id AS from_flow_id, NULL AS to_namespace, NULL AS to_flow_id,
       EXISTS (SELECT 1 FROM flows f WHERE f.namespace = w.namespace AND f.flow_id = w.flow_id AND f.deleted_at IS NULL) AS registered
FROM walk w
UNION ALL
-- DISTINCT: two triggers of one flow may listen to the same upstream (one edge row each).
SELECT DISTINCT e.kind, e.upstream_namespace, e.upstream_flow_id, f.namespace, f.flow_id, NULL::boolean
FROM walk w
JOIN flow_edges e ON e.upstream_namespace = w.namespace AND e.upstream_flow_id = w.flow_id
JOIN flows f ON f.id = e.flow_pk AND f.deleted_at IS NULL
WHERE $3::boolean OR (w.namespace = $1 AND w.flow_id = $2)
