-- When the scheduler must wake next: the earliest next slot (an index's first entry),
-- or at once if a schedule waits to be initialised.
SELECT (SELECT min(next_fire_at) FROM flow_schedules) AS next_fire_at,
       EXISTS (SELECT 1 FROM flow_schedules WHERE next_fire_at IS NULL) AS uninitialised
