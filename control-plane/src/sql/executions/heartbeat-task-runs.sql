-- Not a state change: a worker renews the leases of the runs it still holds, and hears
-- which of them a kill reached (KILLING: the fallback when the kill's NOTIFY is lost).
-- $1 worker id, $2 lease ids, $3 lease ms
UPDATE task_runs
SET heartbeat_at = CURRENT_TIMESTAMP, lease_until = CURRENT_TIMESTAMP + make_interval(secs => $3::int / 1000.0)
WHERE lease_id = ANY($2::uuid[]) AND worker_id = $1 AND state IN ('RUNNING', 'KILLING')
RETURNING id, state
