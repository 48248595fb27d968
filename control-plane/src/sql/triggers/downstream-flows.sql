-- The live, enabled flows with a flow trigger on flow $1/$2: an index lookup on the
-- stored edges (flow_edges_upstream_namespace_upstream_flow_id_idx), so the cost grows
-- with the downstream flows, not with all flows. Ordered so that the triggers' locks
-- are always taken in the same order (no deadlock between two handlers).
SELECT f.id AS flow_pk, f.namespace, f.flow_id, f.revision, f.source
FROM flow_edges e
JOIN flows f ON f.id = e.flow_pk
WHERE e.upstream_namespace = $1 AND e.upstream_flow_id = $2 AND e.kind = 'trigger'
  AND f.deleted_at IS NULL AND NOT f.disabled
ORDER BY f.id
