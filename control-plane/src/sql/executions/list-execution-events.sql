-- The state history of an execution and its task runs, in order. $1 execution id
SELECT task_run_id, from_state, to_state, at
FROM execution_events
WHERE execution_id = $1::uuid
ORDER BY id
