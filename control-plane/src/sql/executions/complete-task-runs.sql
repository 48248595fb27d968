-- transition: task_run RUNNING -> SUCCESS|WARNING|FAILED
-- Workers' results, batched ($1: a JSON list of {id, leaseId, state, outputs, error}).
-- A result is recorded once: only a run still RUNNING under the lease that the worker
-- holds changes; a duplicate or late completion (the lease expired and the run was
-- resubmitted) matches no row and changes nothing.
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "leaseId" uuid, state text, outputs jsonb, error text)
  WHERE r.state IN ('SUCCESS', 'WARNING', 'FAILED')
),
completed AS (
  UPDATE task_runs t
  SET state = i.state, outputs = coalesce(i.outputs, '{}'::jsonb), error = i.error, ended_at = CURRENT_TIMESTAMP,
      lease_id = NULL, lease_until = NULL
  FROM input i
  WHERE t.id = i.id AND t.state = 'RUNNING' AND NOT t.flowable AND t.lease_id = i."leaseId"
  RETURNING t.id, t.execution_id, t.state, t.ended_at
),
events AS (
  INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state, at)
  SELECT execution_id, id, 'RUNNING', state, ended_at FROM completed
)
SELECT id, execution_id FROM completed
