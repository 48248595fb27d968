-- transition: execution RUNNING|RETRYING -> KILLING
-- A kill (error null) or a flow timeout (error says so) of a started execution: it waits
-- in KILLING until its running task runs have stopped (end-killing-execution.sql).
-- Audited like kill-pending-execution.sql.
-- $1 execution id, $2 error (null for a kill), $3 subject, $4 subject kind, $5 request id, $6 why (audit)
WITH old AS (
  SELECT id, state FROM executions WHERE id = $1::uuid AND state IN ('RUNNING', 'RETRYING')
),
killing AS (
  UPDATE executions e SET state = 'KILLING', error = $2
  FROM old WHERE e.id = old.id
  RETURNING e.id, e.namespace, old.state AS from_state
),
audit AS (
  INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, before, after, request_id)
  SELECT $3, $4, 'execution.kill', 'execution', id::text, namespace, jsonb_build_object('state', from_state), jsonb_build_object('state', 'KILLING', 'why', $6::text), $5
  FROM killing WHERE $3::text IS NOT NULL
)
INSERT INTO execution_events (execution_id, from_state, to_state)
SELECT id, from_state, 'KILLING' FROM killing
RETURNING execution_id
