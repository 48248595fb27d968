-- transition: execution CREATED|QUEUED -> RUNNING
-- $1 execution ids (one decision round may start many)
WITH old AS (
  SELECT id, state FROM executions WHERE id = ANY($1::uuid[]) AND state IN ('CREATED', 'QUEUED')
),
started AS (
  UPDATE executions e SET state = 'RUNNING', started_at = CURRENT_TIMESTAMP
  FROM old WHERE e.id = old.id
  RETURNING e.id, old.state AS from_state, e.started_at
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, from_state, 'RUNNING', started_at FROM started
RETURNING execution_id
