-- transition: task_run CREATED|RETRYING|RUNNING -> KILLED
-- The task runs of a killed execution that no worker holds end KILLED at once: those not
-- claimed yet, and the flowable ones (parallel, foreach) the executor drives. The ones a
-- worker runs are stopped by stop-task-runs.sql. $1 execution id
WITH old AS (
  SELECT id, state FROM task_runs
  WHERE execution_id = $1::uuid AND (state IN ('CREATED', 'RETRYING') OR (state = 'RUNNING' AND flowable))
  FOR UPDATE
),
killed AS (
  UPDATE task_runs t SET state = 'KILLED', ended_at = CURRENT_TIMESTAMP
  FROM old WHERE t.id = old.id
  RETURNING t.id, t.execution_id, old.state AS from_state, t.ended_at
)
INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state, at)
SELECT execution_id, id, from_state, 'KILLED', ended_at FROM killed
RETURNING task_run_id
