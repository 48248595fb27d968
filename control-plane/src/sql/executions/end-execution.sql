-- transition: execution RUNNING -> SUCCESS|WARNING|FAILED
-- $1 execution id, $2 end state, $3 error (null unless FAILED)
-- Wakes the follow-up handlers (flow triggers, a subflow's parent: orchestrator/end-handler.ts);
-- the end itself (ended_at set, end_handled false) is what they look for, so a lost wake-up only delays them.
WITH ended AS (
  UPDATE executions SET state = $2, error = $3, ended_at = CURRENT_TIMESTAMP
  WHERE id = $1::uuid AND state = 'RUNNING' AND $2 IN ('SUCCESS', 'WARNING', 'FAILED')
  RETURNING id, state, ended_at
),
wake AS (
  SELECT pg_notify('meshplane_execution_ends', id::text) FROM ended
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, 'RUNNING', state, ended_at FROM ended WHERE (SELECT count(*) FROM wake) >= 0
RETURNING execution_id
