-- One execution. $1 execution id
SELECT id, namespace, flow_id, flow_revision, state, inputs, labels, trigger, parent_execution_id, error, created_at, started_at, ended_at
FROM executions
WHERE id = $1::uuid
