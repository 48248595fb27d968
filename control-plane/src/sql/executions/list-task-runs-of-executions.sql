-- The task runs of the executions of one decision round, in the order they were created
-- within each. $1 execution ids
SELECT execution_id, id, task_id, path, value, attempt, flowable, state, outputs, error, created_at, started_at, ended_at
FROM task_runs
WHERE execution_id = ANY($1::uuid[])
ORDER BY execution_id, created_at, path, attempt
