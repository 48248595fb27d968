-- The executor's view of executions, locked for the length of one decision round (two
-- replicas advancing the same execution take turns), with the pinned revisions' sources.
-- Locked in id order, so that two rounds over overlapping sets never deadlock.
-- $1 execution ids
SELECT e.id, e.namespace, e.flow_id, e.flow_pk, e.flow_revision, e.state, e.inputs, e.labels, e.trigger, e.created_at, r.source
FROM executions e
JOIN flow_revisions r ON r.flow_pk = e.flow_pk AND r.revision = e.flow_revision
WHERE e.id = ANY($1::uuid[])
ORDER BY e.id
FOR UPDATE OF e
