-- transition: execution RUNNING -> SUCCESS|WARNING|FAILED
-- $1: a JSON list of {id, state, error} (error null unless FAILED); one decision round
-- may end many executions.
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, state text, error text)
  WHERE r.state IN ('SUCCESS', 'WARNING', 'FAILED')
),
ended AS (
  UPDATE executions e SET state = i.state, error = i.error, ended_at = CURRENT_TIMESTAMP
  FROM input i
  WHERE e.id = i.id AND e.state = 'RUNNING'
  RETURNING e.id, e.state, e.ended_at
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, 'RUNNING', state, ended_at FROM ended
RETURNING execution_id
