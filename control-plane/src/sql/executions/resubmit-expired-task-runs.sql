-- transition: task_run RUNNING -> CREATED
-- Runs whose worker stopped renewing its lease (it died or lost the database) go back
-- to the queue; the dead worker's late completion then quotes a lease that no longer
-- matches and is ignored. $1 at most this many rows
WITH expired AS (
  SELECT id FROM task_runs
  WHERE state = 'RUNNING' AND NOT flowable AND lease_until < CURRENT_TIMESTAMP
  ORDER BY lease_until
  LIMIT $1::int
  FOR UPDATE SKIP LOCKED
),
resubmitted AS (
  UPDATE task_runs t
  SET state = 'CREATED', worker_id = NULL, lease_id = NULL, lease_until = NULL, available_at = CURRENT_TIMESTAMP
  FROM expired e WHERE t.id = e.id
  RETURNING t.id, t.execution_id
),
events AS (
  INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state)
  SELECT execution_id, id, 'RUNNING', 'CREATED' FROM resubmitted
),
wake AS (
  SELECT pg_notify('meshplane_task_runs', count(*)::text) FROM resubmitted HAVING count(*) > 0
)
SELECT (SELECT count(*) FROM resubmitted)::int AS resubmitted, (SELECT count(*) FROM wake)::int AS woke
