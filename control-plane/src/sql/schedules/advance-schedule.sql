-- A schedule moves on after its due slots were fired (or skipped): next_fire_at becomes
-- the first slot after the tick's now. Only if nothing changed since the tick read the
-- row: a new cron or zone (changed_at moved) or another replica that advanced it first
-- (next_fire_at moved) makes this a no-op, and the next tick reads the row again.
-- $1 flow pk, $2 trigger id, $3 next_fire_at read (null = uninitialised), $4 changed_at read,
-- $5 new next_fire_at, $6 latest slot fired (null = none this time)
UPDATE flow_schedules
SET next_fire_at = $5::timestamptz, last_fired_for = coalesce($6::timestamptz, last_fired_for)
WHERE flow_pk = $1::uuid AND trigger_id = $2
  AND next_fire_at IS NOT DISTINCT FROM $3::timestamptz AND changed_at = $4::timestamptz
RETURNING flow_pk
