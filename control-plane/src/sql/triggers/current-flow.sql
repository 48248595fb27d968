-- A flow's current revision, for starting it from the executor (a subflow's child). $1 namespace, $2 flow id
SELECT id AS flow_pk, namespace, flow_id, revision, source, disabled, deleted_at IS NOT NULL AS deleted
FROM flows
WHERE namespace = $1 AND flow_id = $2
