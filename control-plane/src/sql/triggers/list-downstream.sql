-- What an execution's end started downstream (or why not), for GET /executions/{id}. $1 execution id
SELECT downstream_namespace, downstream_flow_id, trigger_id, execution_id, refused, consumed
FROM flow_trigger_events
WHERE upstream_execution_id = $1::uuid
ORDER BY downstream_namespace, downstream_flow_id, trigger_id
