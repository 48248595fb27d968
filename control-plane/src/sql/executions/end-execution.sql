-- transition: execution RUNNING -> SUCCESS|WARNING|FAILED
-- $1: a JSON list of {id, state, error} (error null unless FAILED); one decision round
-- may end many executions.
-- Wakes the follow-up handlers (flow triggers, a subflow's parent: orchestrator/end-handler.ts)
-- with one NOTIFY per statement (they read no payload: the end itself, ended_at set and
-- end_handled false, is what they look for, so a lost wake-up only delays them).
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, state text, error text)
  WHERE r.state IN ('SUCCESS', 'WARNING', 'FAILED')
),
ended AS (
  UPDATE executions e SET state = i.state, error = i.error, ended_at = CURRENT_TIMESTAMP
  FROM input i
  WHERE e.id = i.id AND e.state = 'RUNNING'
  RETURNING e.id, e.state, e.ended_at
),
wake AS (
  SELECT pg_notify('meshplane_execution_ends', '') WHERE EXISTS (SELECT 1 FROM ended)
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, 'RUNNING', state, ended_at FROM ended WHERE (SELECT count(*) FROM wake) >= 0
RETURNING execution_id, to_state AS state
