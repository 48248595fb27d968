-- THE sync of a flow's derived rows (flow_edges, flow_table_refs, flow_schedules) to
-- what its current revision says, given as ONE jsonb value:
--   {edges: [{namespace, flowId, kind, triggerId?, states?, windowMs?, disabled?}],
--    tables: [{dataset, table, kind}], schedules: [{triggerId, cron, timezone, recover}]}
-- (null or {} = nothing: a deleted flow). Not a statement of its own: put-flow, resync-derived
-- and delete-flow include these CTEs where they say `-- include: derived-sync flow_pk=… derived=…`, with
-- :flow_pk (a scalar expression: the flow's id, or null when nothing was written) and
-- :derived (the jsonb parameter) substituted, so a flow write stays one round trip.
--
-- Rows gone are deleted and the others upserted on their key: the delete and the
-- upsert never touch the same row (data-modifying CTEs share one snapshot). The
-- derived rows are matched on the flow's id as a scalar, never joined to a CTE
-- holding the source (see put-flow.sql). A schedule whose cron or zone changed starts
-- over (next_fire_at null: the scheduler computes the next slot after changed_at); one
-- whose cron is the same keeps its state, so a new revision never re-fires a slot.
derived_edges AS (
  SELECT e.namespace, e."flowId" AS flow_id, e.kind, coalesce(e."triggerId", '') AS trigger_id, e.states, e."windowMs" AS window_ms,
         coalesce(e.disabled, false) AS disabled
  FROM jsonb_to_recordset(coalesce(:derived -> 'edges', '[]'::jsonb))
       AS e(namespace text, "flowId" text, kind text, "triggerId" text, states text[], "windowMs" bigint, disabled boolean)
),
derived_tables AS (
  SELECT t.dataset, t."table", t.kind
  FROM jsonb_to_recordset(coalesce(:derived -> 'tables', '[]'::jsonb)) AS t(dataset text, "table" text, kind text)
),
derived_schedules AS (
  SELECT s."triggerId" AS trigger_id, s.cron, s.timezone, s.recover
  FROM jsonb_to_recordset(coalesce(:derived -> 'schedules', '[]'::jsonb)) AS s("triggerId" text, cron text, timezone text, recover text)
),
derived_edges_gone AS (
  DELETE FROM flow_edges e
  WHERE e.flow_pk = :flow_pk
    AND NOT EXISTS (SELECT 1 FROM derived_edges n
                    WHERE n.namespace = e.upstream_namespace AND n.flow_id = e.upstream_flow_id AND n.kind = e.kind AND n.trigger_id = e.trigger_id)
),
derived_edges_put AS (
  INSERT INTO flow_edges (flow_pk, upstream_namespace, upstream_flow_id, kind, trigger_id, states, window_ms, disabled)
  SELECT :flow_pk, n.namespace, n.flow_id, n.kind, n.trigger_id, n.states, n.window_ms, n.disabled FROM derived_edges n WHERE :flow_pk IS NOT NULL
  ON CONFLICT (flow_pk, upstream_namespace, upstream_flow_id, kind, trigger_id) DO UPDATE
  SET states = excluded.states, window_ms = excluded.window_ms, disabled = excluded.disabled
  WHERE (flow_edges.states, flow_edges.window_ms, flow_edges.disabled) IS DISTINCT FROM (excluded.states, excluded.window_ms, excluded.disabled)
),
derived_tables_gone AS (
  DELETE FROM flow_table_refs t
  WHERE t.flow_pk = :flow_pk
    AND NOT EXISTS (SELECT 1 FROM derived_tables n WHERE n.dataset = t.dataset AND n."table" = t."table" AND n.kind = t.kind)
),
derived_tables_put AS (
  INSERT INTO flow_table_refs (flow_pk, dataset, "table", kind)
  SELECT :flow_pk, n.dataset, n."table", n.kind FROM derived_tables n WHERE :flow_pk IS NOT NULL
  ON CONFLICT DO NOTHING
),
derived_schedules_gone AS (
  DELETE FROM flow_schedules s
  WHERE s.flow_pk = :flow_pk AND NOT EXISTS (SELECT 1 FROM derived_schedules n WHERE n.trigger_id = s.trigger_id)
),
derived_schedules_put AS (
  INSERT INTO flow_schedules (flow_pk, trigger_id, cron, timezone, recover)
  SELECT :flow_pk, n.trigger_id, n.cron, n.timezone, n.recover FROM derived_schedules n WHERE :flow_pk IS NOT NULL
  ON CONFLICT (flow_pk, trigger_id) DO UPDATE
  SET cron = excluded.cron, timezone = excluded.timezone, recover = excluded.recover,
      next_fire_at = CASE WHEN (flow_schedules.cron, flow_schedules.timezone) IS DISTINCT FROM (excluded.cron, excluded.timezone) THEN NULL ELSE flow_schedules.next_fire_at END,
      changed_at = CASE WHEN (flow_schedules.cron, flow_schedules.timezone) IS DISTINCT FROM (excluded.cron, excluded.timezone) THEN CURRENT_TIMESTAMP ELSE flow_schedules.changed_at END
  WHERE (flow_schedules.cron, flow_schedules.timezone, flow_schedules.recover) IS DISTINCT FROM (excluded.cron, excluded.timezone, excluded.recover)
),
