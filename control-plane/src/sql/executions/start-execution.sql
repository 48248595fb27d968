-- transition: execution CREATED|QUEUED|RETRYING -> RUNNING
-- A start, or a restarted execution running again. $1 execution id, $2 the flow's
-- timeout in ms (null: none), counted from now.
-- The instant is the statement's (clock_timestamp), not the transaction's: a start held
-- behind a flow's concurrency lock happens after the end that freed its slot, and the
-- history must say so (the transaction may have begun before that end).
WITH old AS (
  SELECT id, state FROM executions WHERE id = $1::uuid AND state IN ('CREATED', 'QUEUED', 'RETRYING')
),
started AS (
  UPDATE executions e SET state = 'RUNNING', started_at = coalesce(e.started_at, clock_timestamp()),
      timeout_at = clock_timestamp() + make_interval(secs => $2::bigint / 1000.0)
  FROM old WHERE e.id = old.id
  RETURNING e.id, old.state AS from_state
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, from_state, 'RUNNING', clock_timestamp() FROM started
RETURNING execution_id
