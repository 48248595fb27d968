-- transition: execution CREATED|QUEUED -> RUNNING
-- The instant is the statement's (clock_timestamp), not the transaction's: a start held
-- behind a flow's concurrency lock happens after the end that freed its slot, and the
-- history must say so (the transaction may have begun before that end).
-- $1 execution id
WITH old AS (
  SELECT id, state FROM executions WHERE id = $1::uuid AND state IN ('CREATED', 'QUEUED')
),
started AS (
  UPDATE executions e SET state = 'RUNNING', started_at = clock_timestamp()
  FROM old WHERE e.id = old.id
  RETURNING e.id, old.state AS from_state, e.started_at
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, from_state, 'RUNNING', started_at FROM started
RETURNING execution_id
