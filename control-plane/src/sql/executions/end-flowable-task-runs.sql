-- transition: task_run RUNNING -> SUCCESS|FAILED
-- The executor ends parallel/foreach runs whose children are done
-- ($1: a JSON list of {id, state, error}).
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, state text, error text)
  WHERE r.state IN ('SUCCESS', 'FAILED')
),
ended AS (
  UPDATE task_runs t SET state = i.state, error = i.error, ended_at = CURRENT_TIMESTAMP
  FROM input i
  WHERE t.id = i.id AND t.state = 'RUNNING' AND t.flowable
  RETURNING t.id, t.execution_id, t.state, t.ended_at
)
INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state, at)
SELECT execution_id, id, 'RUNNING', state, ended_at FROM ended
RETURNING task_run_id
