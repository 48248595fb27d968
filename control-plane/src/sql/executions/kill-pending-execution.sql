-- transition: execution CREATED|QUEUED -> KILLED
-- A kill of an execution that has not started (created, or waiting behind its flow's
-- concurrency limit): it has no task runs to stop, so it ends at once; audited when a
-- caller asked ($2 null: a cascade from a parent nobody asked about separately).
-- $1 execution id, $2 subject, $3 subject kind, $4 request id, $5 why (audit)
WITH old AS (
  SELECT id, state FROM executions WHERE id = $1::uuid AND state IN ('CREATED', 'QUEUED')
),
killed AS (
  UPDATE executions e SET state = 'KILLED', ended_at = CURRENT_TIMESTAMP
  FROM old WHERE e.id = old.id
  RETURNING e.id, e.namespace, old.state AS from_state, e.ended_at
),
audit AS (
  INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, before, after, request_id)
  SELECT $2, $3, 'execution.kill', 'execution', id::text, namespace, jsonb_build_object('state', from_state), jsonb_build_object('state', 'KILLED', 'why', $5::text), $4
  FROM killed WHERE $2::text IS NOT NULL
),
-- The end handlers wake now, as on any end.
wake AS (
  SELECT pg_notify('meshplane_execution_ends', '') WHERE EXISTS (SELECT 1 FROM killed)
)
INSERT INTO execution_events (execution_id, from_state, to_state, at)
SELECT id, from_state, 'KILLED', ended_at FROM killed WHERE (SELECT count(*) FROM wake) >= 0
RETURNING execution_id
