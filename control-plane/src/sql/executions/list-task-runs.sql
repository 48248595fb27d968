-- Every task run of an execution, in the order they were created. $1 execution id
SELECT id, task_id, path, value, attempt, flowable, state, outputs, error, created_at, started_at, ended_at
FROM task_runs
WHERE execution_id = $1::uuid
ORDER BY created_at, path, attempt
