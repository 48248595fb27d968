-- How long until the next claimable task run is due (a retry's backoff), in ms; NULL
-- when none waits. A worker that found nothing to claim sleeps until then rather than a
-- whole poll interval, so a PT0.2S backoff is not stretched to the poll's 1 s. Measured on
-- the database's clock, as available_at is. The claim index (task_runs_claimable_idx) is
-- read in order: the first row that this worker may claim answers.
-- $1 has a warehouse
SELECT GREATEST(0, CEIL(EXTRACT(EPOCH FROM (available_at - CURRENT_TIMESTAMP)) * 1000))::int AS in_ms
FROM task_runs
WHERE state IN ('CREATED', 'RETRYING') AND NOT flowable AND ($1::boolean OR NOT needs_warehouse)
ORDER BY available_at
LIMIT 1
