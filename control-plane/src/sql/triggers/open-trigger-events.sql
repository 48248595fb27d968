-- The upstream ends a flow trigger counted since it last fired, within its window of
-- the newest one: the latest per upstream flow. $1 flow pk, $2 trigger id, $3 the newest
-- end, $4 window ms
SELECT DISTINCT ON (upstream_namespace, upstream_flow_id)
       upstream_execution_id, upstream_namespace, upstream_flow_id, upstream_state, upstream_ended_at
FROM flow_trigger_events
WHERE flow_pk = $1::uuid AND trigger_id = $2 AND NOT consumed
  AND upstream_ended_at >= $3::timestamptz - make_interval(secs => $4::bigint / 1000.0)
ORDER BY upstream_namespace, upstream_flow_id, upstream_ended_at DESC
