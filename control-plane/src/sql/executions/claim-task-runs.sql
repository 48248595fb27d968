-- transition: task_run CREATED|RETRYING -> RUNNING
-- A worker claims up to $3 claimable runs (oldest first), skipping rows other workers
-- are claiming, and holds them under a fresh lease until $4 ms from now.
-- A worker without a warehouse ($5 false) never claims runs that need one (sql.query: the
-- DuckDB file belongs to one process, ARCHITECTURE.md "Warehouse").
-- $1 worker id, $2 lease id, $3 free slots, $4 lease ms, $5 has a warehouse
WITH claimable AS (
  SELECT id, state FROM task_runs
  WHERE state IN ('CREATED', 'RETRYING') AND NOT flowable AND available_at <= CURRENT_TIMESTAMP
    AND ($5::boolean OR NOT needs_warehouse)
  ORDER BY available_at
  LIMIT $3::int
  FOR UPDATE SKIP LOCKED
),
claimed AS (
  UPDATE task_runs t
  SET state = 'RUNNING', worker_id = $1, lease_id = $2::uuid,
      lease_until = CURRENT_TIMESTAMP + make_interval(secs => $4::int / 1000.0),
      heartbeat_at = CURRENT_TIMESTAMP, started_at = CURRENT_TIMESTAMP
  FROM claimable c
  WHERE t.id = c.id
  RETURNING t.id, t.execution_id, t.task_id, t.path, t.value, t.attempt, c.state AS from_state, t.started_at
),
events AS (
  INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state, at)
  SELECT execution_id, id, from_state, 'RUNNING', started_at FROM claimed
)
SELECT id, execution_id, task_id, path, value, attempt FROM claimed
