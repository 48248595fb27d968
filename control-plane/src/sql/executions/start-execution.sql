-- transition: execution CREATED|QUEUED|RETRYING -> RUNNING
-- A start, or a restarted execution running again; one decision round may start many.
-- $1: a JSON list of {id, timeoutMs} (timeoutMs: the flow's timeout, null for none,
-- counted from now; each execution's own pinned revision says).
-- The instant is the statement's (clock_timestamp), not the transaction's: a start held
-- behind a flow's concurrency lock happens after the end that freed its slot, and the
-- history must say so (the transaction may have begun before that end).
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "timeoutMs" bigint)
),
old AS (
  SELECT e.id, e.state, i."timeoutMs" AS timeout_ms FROM executions e JOIN input i ON i.id = e.id
  WHERE e.state IN ('CREATED', 'QUEUED', 'RETRYING')
),
started AS (
  UPDATE executions e SET state = 'RUNNING', started_at = coalesce(e.started_at, clock_timestamp()),
      timeout_at = clock_timestamp() + make_interval(secs => old.timeout_ms / 1000.0)
  FROM old WHERE e.id = old.id
  RETURNING e.id, old.state AS from_state
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, from_state, 'RUNNING', clock_timestamp() FROM started
RETURNING execution_id
