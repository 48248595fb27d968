-- One flow by its natural key (live or deleted: the caller decides what a deletion means).
-- $1 namespace, $2 flow id
SELECT namespace, flow_id, revision, source, labels, description, disabled, created_at, updated_at, deleted_at
FROM flows
WHERE namespace = $1 AND flow_id = $2
