-- The oldest ended execution whose follow-ups (downstream flow triggers, a subflow's
-- parent) no replica has handled yet, locked until the handler's transaction ends;
-- rows another replica is handling are skipped, and so are $1 (ids whose handling just
-- failed here: they are tried again later, and must not hold up the others).
SELECT e.id, e.namespace, e.flow_id, e.state, e.ended_at, e.parent_execution_id, e.parent_task_run_id, e.error
FROM executions e
WHERE e.ended_at IS NOT NULL AND NOT e.end_handled AND NOT (e.id = ANY($1::uuid[]))
ORDER BY e.ended_at
LIMIT 1
FOR UPDATE SKIP LOCKED
