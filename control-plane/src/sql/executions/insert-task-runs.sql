-- transition: task_run (new) -> CREATED|RETRYING|RUNNING
-- New task runs decided by the executor ($1: a JSON list of {id, executionId, taskId,
-- path, value, attempt, flowable, needsWarehouse, state, delayMs, error, outputs}). A position already inserted
-- (the same decision taken twice) inserts nothing: (execution_id, path, attempt) is unique.
-- Flowable runs start RUNNING (the executor drives them); a run that cannot start (its
-- values did not resolve) is inserted FAILED with its error. Wakes the workers when
-- something became claimable.
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS r(id uuid, "executionId" uuid, "taskId" text, path text, value jsonb, attempt int, flowable boolean, "needsWarehouse" boolean, state text, "delayMs" int, error text, outputs jsonb)
  WHERE r.state IN ('CREATED', 'RETRYING', 'RUNNING', 'FAILED')
),
inserted AS (
  INSERT INTO task_runs (id, execution_id, task_id, path, value, attempt, flowable, needs_warehouse, state, available_at, error, outputs, started_at, ended_at)
  SELECT id, "executionId", "taskId", path, value, attempt, flowable, coalesce("needsWarehouse", false), state,
         CURRENT_TIMESTAMP + make_interval(secs => coalesce("delayMs", 0) / 1000.0), error, coalesce(outputs, '{}'::jsonb),
         CASE WHEN state IN ('RUNNING', 'FAILED') THEN CURRENT_TIMESTAMP END,
         CASE WHEN state = 'FAILED' THEN CURRENT_TIMESTAMP END
  FROM input
  ON CONFLICT (execution_id, path, attempt) DO NOTHING
  RETURNING id, execution_id, state, flowable, created_at
),
events AS (
  INSERT INTO execution_events (execution_id, task_run_id, from_state, to_state, at)
  SELECT execution_id, id, NULL, state, created_at FROM inserted
),
wake AS (
  SELECT pg_notify('meshplane_task_runs', count(*)::text) FROM inserted
  WHERE state IN ('CREATED', 'RETRYING') AND NOT flowable
  HAVING count(*) > 0
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM wake)::int AS woke
