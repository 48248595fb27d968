-- The live flows of the given namespaces, each with its latest execution: one probe per
-- flow on executions (flow_pk, created_at DESC), not a scan of all executions.
-- $1 namespaces (text[])
SELECT f.namespace, f.flow_id, f.disabled, x.id::text AS execution_id, x.state, x.created_at
FROM flows f
LEFT JOIN LATERAL (
  SELECT e.id, e.state, e.created_at FROM executions e WHERE e.flow_pk = f.id ORDER BY e.created_at DESC LIMIT 1
) x ON true
WHERE f.deleted_at IS NULL AND f.namespace = ANY($1::text[])
ORDER BY f.namespace, f.flow_id
