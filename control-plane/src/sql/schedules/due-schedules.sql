-- The schedules a tick fires: those whose next slot has come ($1 = the scheduler's now),
-- and those not initialised yet (new or changed cron: next_fire_at null), each through
-- its own index, so a tick costs what is due, never a scan of every flow. With the flow's
-- current revision (a slot runs the revision in force when it fires).
-- $1 now, $2 limit
SELECT s.flow_pk, s.trigger_id, s.cron, s.timezone, s.recover, s.next_fire_at, s.changed_at,
       f.namespace, f.flow_id, f.revision, f.source
FROM (
  (SELECT * FROM flow_schedules WHERE next_fire_at IS NULL ORDER BY changed_at LIMIT $2)
  UNION ALL
  (SELECT * FROM flow_schedules WHERE next_fire_at <= $1::timestamptz ORDER BY next_fire_at LIMIT $2)
) s
JOIN flows f ON f.id = s.flow_pk AND f.deleted_at IS NULL AND NOT f.disabled
LIMIT $2
