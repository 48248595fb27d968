-- transition: execution (new) -> CREATED
-- A new execution of a live, enabled flow, pinned to revision $4 (the one whose inputs
-- the service checked: if the flow moved on meanwhile, nothing is inserted and the
-- service checks again), with its first event and the audit record of who started it.
-- $1 id, $2 namespace, $3 flow id, $4 revision, $5 inputs, $6 labels, $7 trigger,
-- $8 subject, $9 subject kind, $10 request id, $11 parent execution id and $12 the parent's
-- task run (a subflow's child; else null)
WITH flow AS (
  SELECT id FROM flows
  WHERE namespace = $2 AND flow_id = $3 AND revision = $4::int AND deleted_at IS NULL AND NOT disabled
),
created AS (
  INSERT INTO executions (id, namespace, flow_id, flow_pk, flow_revision, state, inputs, labels, trigger, parent_execution_id, parent_task_run_id)
  SELECT $1::uuid, $2, $3, flow.id, $4::int, 'CREATED', $5::jsonb, $6::jsonb, $7::jsonb, $11::uuid, $12::uuid FROM flow
  RETURNING id, namespace, flow_id, flow_revision, created_at
),
event AS (
  INSERT INTO execution_events (execution_id, from_state, to_state, at)
  SELECT id, NULL, 'CREATED', created_at FROM created
),
audit AS (
  INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, after, request_id)
  SELECT $8, $9, 'execution.create', 'execution', created.id::text, created.namespace,
         jsonb_build_object('flowId', created.flow_id, 'flowRevision', created.flow_revision, 'trigger', $7::jsonb, 'labels', $6::jsonb)
           || CASE WHEN $11::uuid IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('parentExecutionId', $11::uuid) END,
         $10
  FROM created
)
SELECT id FROM created
