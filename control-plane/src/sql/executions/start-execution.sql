-- transition: execution CREATED -> RUNNING
-- $1 execution id
WITH started AS (
  UPDATE executions SET state = 'RUNNING', started_at = CURRENT_TIMESTAMP
  WHERE id = $1::uuid AND state = 'CREATED'
  RETURNING id, started_at
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, 'CREATED', 'RUNNING', started_at FROM started
RETURNING execution_id
