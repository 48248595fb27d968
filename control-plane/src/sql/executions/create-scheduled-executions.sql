-- transition: execution (new) -> CREATED|FAILED
-- The executions of a schedule's due slots, at most one per slot whatever the number of
-- replicas: the unique key (flow_pk, schedule_trigger_id, scheduled_for) and ON CONFLICT
-- DO NOTHING, never a lock. Only while the flow is live, enabled, at revision $3 (whose
-- inputs the scheduler checked) and still has this schedule trigger (flow_schedules:
-- removed or disabled triggers have no row). FAILED at once, with $6 as the error, when
-- the flow needs inputs a schedule cannot give. Each one audited as the scheduler's.
-- $1 flow pk, $2 trigger id, $3 revision, $4 slots jsonb [{id, scheduledFor, trigger}],
-- $5 inputs jsonb, $6 error (null = runs), $7 subject, $8 subject kind
WITH flow AS (
  SELECT f.id, f.namespace, f.flow_id
  FROM flows f JOIN flow_schedules s ON s.flow_pk = f.id AND s.trigger_id = $2
  WHERE f.id = $1::uuid AND f.revision = $3::int AND f.deleted_at IS NULL AND NOT f.disabled
),
slots AS (
  SELECT x.id, x."scheduledFor"::timestamptz AS scheduled_for, x.trigger
  FROM jsonb_to_recordset($4::jsonb) AS x(id uuid, "scheduledFor" text, trigger jsonb)
),
created AS (
  INSERT INTO executions (id, namespace, flow_id, flow_pk, flow_revision, state, inputs, labels, trigger, schedule_trigger_id, scheduled_for, error, ended_at)
  SELECT s.id, flow.namespace, flow.flow_id, flow.id, $3::int, CASE WHEN $6::text IS NULL THEN 'CREATED' ELSE 'FAILED' END,
         $5::jsonb, '{}'::jsonb, s.trigger, $2, s.scheduled_for, $6::text, CASE WHEN $6::text IS NOT NULL THEN CURRENT_TIMESTAMP END
  FROM flow CROSS JOIN slots s
  ON CONFLICT (flow_pk, schedule_trigger_id, scheduled_for) WHERE schedule_trigger_id IS NOT NULL DO NOTHING
  RETURNING id, namespace, flow_id, flow_revision, state, trigger, created_at
),
event AS (
  INSERT INTO execution_events (execution_id, from_state, to_state, at)
  SELECT id, NULL, state, created_at FROM created
),
audit AS (
  INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, after)
  SELECT $7, $8, 'execution.create', 'execution', c.id::text, c.namespace,
         jsonb_build_object('flowId', c.flow_id, 'flowRevision', c.flow_revision, 'trigger', c.trigger, 'labels', '{}'::jsonb)
           || CASE WHEN $6::text IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('state', c.state, 'error', $6::text) END
  FROM created c
)
SELECT EXISTS (SELECT 1 FROM flow) AS matched,
       coalesce((SELECT jsonb_agg(id ORDER BY id) FROM created), '[]'::jsonb) AS created
