-- transition: execution KILLING -> KILLED|FAILED
-- A killed execution whose task runs have all stopped ends KILLED; one stopped by its
-- flow's timeout (kill-execution.sql recorded why in `error`) ends FAILED.
-- $1 execution ids (one decision round may end many)
WITH ended AS (
  UPDATE executions e SET state = CASE WHEN e.error IS NULL THEN 'KILLED' ELSE 'FAILED' END, ended_at = CURRENT_TIMESTAMP
  WHERE e.id = ANY($1::uuid[]) AND e.state = 'KILLING'
    AND NOT EXISTS (SELECT 1 FROM task_runs t WHERE t.execution_id = e.id AND t.state IN ('CREATED', 'RETRYING', 'RUNNING', 'KILLING'))
  RETURNING e.id, e.state, e.ended_at
),
-- The end handlers (flow triggers on KILLED/FAILED, a waiting parent) wake now, as on any end.
wake AS (
  SELECT pg_notify('meshplane_execution_ends', '') WHERE EXISTS (SELECT 1 FROM ended)
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, 'KILLING', state, ended_at FROM ended WHERE (SELECT count(*) FROM wake) >= 0
RETURNING execution_id, to_state AS state
