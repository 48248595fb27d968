-- The executor's view of one execution, locked for the length of its decision (two
-- replicas advancing the same execution take turns), with the pinned revision's source.
-- $1 execution id
SELECT e.id, e.namespace, e.flow_id, e.flow_pk, e.flow_revision, e.state, e.inputs, e.labels, e.trigger, e.created_at, r.source
FROM executions e
JOIN flow_revisions r ON r.flow_pk = e.flow_pk AND r.revision = e.flow_revision
WHERE e.id = $1::uuid
FOR UPDATE OF e
