-- The enabled flow triggers listening to flow $1/$2, of live, enabled flows: one row per
-- (flow, trigger) with the trigger's states, window and every upstream it waits for, all
-- read from the edges the derived-data sync stored (flows/derived-sync.sql) — an index
-- lookup (flow_edges_upstream_namespace_upstream_flow_id_idx), so the cost grows with the
-- downstream triggers, not with all flows, and no flow source is parsed to know them.
-- Ordered so that the triggers' locks are always taken in the same order (no deadlock
-- between two handlers).
SELECT f.id AS flow_pk, f.namespace, f.flow_id, f.revision, f.source,
       e.trigger_id, e.states, e.window_ms,
       (SELECT jsonb_agg(jsonb_build_object('namespace', u.upstream_namespace, 'flowId', u.upstream_flow_id)
                         ORDER BY u.upstream_namespace, u.upstream_flow_id)
        FROM flow_edges u
        WHERE u.flow_pk = e.flow_pk AND u.kind = 'trigger' AND u.trigger_id = e.trigger_id) AS upstream
FROM flow_edges e
JOIN flows f ON f.id = e.flow_pk
WHERE e.upstream_namespace = $1 AND e.upstream_flow_id = $2 AND e.kind = 'trigger' AND NOT e.disabled
  AND f.deleted_at IS NULL AND NOT f.disabled
ORDER BY f.id, e.trigger_id
