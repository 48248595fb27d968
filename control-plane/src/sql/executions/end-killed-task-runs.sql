-- transition: task_run KILLING -> KILLED
-- A worker reports the runs it stopped after a kill ($1: a JSON list of {id, leaseId});
-- whatever the task did last, a run the kill reached ends KILLED. $2 also ends KILLING
-- runs whose lease expired (their worker died before it could report): true from the sweep.
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "leaseId" uuid)
),
ended AS (
  UPDATE task_runs t
  SET state = 'KILLED', ended_at = CURRENT_TIMESTAMP, lease_id = NULL, lease_until = NULL
  WHERE t.state = 'KILLING'
    AND (EXISTS (SELECT 1 FROM input i WHERE i.id = t.id AND i."leaseId" = t.lease_id)
         OR ($2::boolean AND t.lease_until < CURRENT_TIMESTAMP))
  RETURNING t.id, t.execution_id, t.ended_at
),
events AS (
  INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state, at)
  SELECT execution_id, id, 'KILLING', 'KILLED', ended_at FROM ended
)
SELECT id, execution_id FROM ended
