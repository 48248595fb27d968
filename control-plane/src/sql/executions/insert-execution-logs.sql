-- Execution logs, batched ($1: a JSON list of {executionId, taskRunId, at, level, message}).
INSERT INTO execution_logs (execution_id, task_run_id, at, level, message)
SELECT "executionId", "taskRunId", at, level, message
FROM jsonb_to_recordset($1::jsonb) AS r("executionId" uuid, "taskRunId" uuid, at timestamptz, level text, message text)
