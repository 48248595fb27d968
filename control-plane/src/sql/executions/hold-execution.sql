-- transition: execution CREATED -> QUEUED|CANCELLED|FAILED
-- A start over the flow's concurrency limit: QUEUED (waits its turn), or ended at once
-- as CANCELLED or FAILED, as the flow's `concurrency.behavior` says. $1 execution id,
-- $2 state, $3 error
WITH held AS (
  UPDATE executions
  SET state = $2, error = $3, ended_at = CASE WHEN $2 IN ('CANCELLED', 'FAILED') THEN CURRENT_TIMESTAMP END
  WHERE id = $1::uuid AND state = 'CREATED' AND $2 IN ('QUEUED', 'CANCELLED', 'FAILED')
  RETURNING id, state
),
-- Ended (CANCELLED, FAILED): the end handlers wake now, as on any end.
wake AS (
  SELECT pg_notify('meshplane_execution_ends', '') WHERE EXISTS (SELECT 1 FROM held WHERE state <> 'QUEUED')
)
INSERT INTO execution_events (execution_id, from_state, to_state)
SELECT id, 'CREATED', state FROM held WHERE (SELECT count(*) FROM wake) >= 0
RETURNING execution_id
