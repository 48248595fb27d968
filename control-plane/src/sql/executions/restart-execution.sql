-- transition: execution FAILED|KILLED -> RETRYING
-- A restart: the same execution, on the same pinned revision, runs its failed and killed
-- task runs again (the executor inserts their next attempts); audited in the same
-- statement. $1 execution id, $2 subject, $3 subject kind, $4 request id
WITH old AS (
  SELECT id, state, namespace, flow_id, flow_revision, error FROM executions WHERE id = $1::uuid AND state IN ('FAILED', 'KILLED')
),
restarted AS (
  UPDATE executions e SET state = 'RETRYING', error = NULL, ended_at = NULL, timeout_at = NULL
  FROM old WHERE e.id = old.id
  RETURNING e.id, old.state AS from_state, old.namespace, old.flow_id, old.flow_revision, old.error
),
event AS (
  INSERT INTO execution_events (execution_id, from_state, to_state)
  SELECT id, from_state, 'RETRYING' FROM restarted
),
audit AS (
  INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, before, after, request_id)
  SELECT $2, $3, 'execution.restart', 'execution', id::text, namespace,
         jsonb_build_object('state', from_state, 'error', error),
         jsonb_build_object('state', 'RETRYING', 'flowId', flow_id, 'flowRevision', flow_revision),
         $4
  FROM restarted
)
SELECT id FROM restarted
