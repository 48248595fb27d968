-- transition: execution RUNNING -> SUCCESS|WARNING|FAILED
-- $1 execution id, $2 end state, $3 error (null unless FAILED)
WITH ended AS (
  UPDATE executions SET state = $2, error = $3, ended_at = CURRENT_TIMESTAMP
  WHERE id = $1::uuid AND state = 'RUNNING' AND $2 IN ('SUCCESS', 'WARNING', 'FAILED')
  RETURNING id, state, ended_at
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, 'RUNNING', state, ended_at FROM ended
RETURNING execution_id
