-- The references that the live flows of the given namespaces declare (flow triggers and
-- subflow calls, as stored for /dependencies); the upstream end may be anywhere.
-- DISTINCT: two triggers of one flow may listen to the same upstream.
-- $1 namespaces (text[])
SELECT DISTINCT e.kind, e.upstream_namespace, e.upstream_flow_id, f.namespace, f.flow_id
FROM flows f
JOIN flow_edges e ON e.flow_pk = f.id
WHERE f.deleted_at IS NULL AND f.namespace = ANY($1::text[])
ORDER BY f.namespace, f.flow_id, e.upstream_namespace, e.upstream_flow_id, e.kind
