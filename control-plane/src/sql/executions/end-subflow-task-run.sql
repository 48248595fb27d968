-- transition: task_run RUNNING -> SUCCESS|FAILED
-- A core.subflow task run ends: its child ended (or, with `wait: false`, was created), or
-- the child could not start (no subflow grant, inputs that do not fit, the flow gone).
-- Only a run still RUNNING changes, so the child's end handled twice ends it once.
-- $1 task run id, $2 state, $3 outputs, $4 error
WITH ended AS (
  UPDATE task_runs SET state = $2, outputs = $3::jsonb, error = $4, ended_at = CURRENT_TIMESTAMP
  WHERE id = $1::uuid AND state = 'RUNNING' AND flowable AND $2 IN ('SUCCESS', 'FAILED')
  RETURNING id, execution_id, state, ended_at
)
INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state, at)
SELECT execution_id, id, 'RUNNING', state, ended_at FROM ended
RETURNING execution_id
