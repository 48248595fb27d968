-- Not a state change: the retention purge. At most $2 executions that ENDED more than
-- $1 days ago are deleted, oldest first; their task runs, events and logs go with them
-- (ON DELETE CASCADE). An execution that has not ended is never touched (ended_at is
-- NULL until it ends, and a restart clears it again); rows locked by a decision in
-- progress are skipped (next batch), so concurrent purges on several processes are
-- harmless. One batch per statement keeps each statement short.
-- $1 retention days, $2 batch size
WITH doomed AS (
  SELECT id FROM executions
  WHERE ended_at IS NOT NULL AND ended_at < CURRENT_TIMESTAMP - make_interval(days => $1::int)
    AND state IN ('SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED')
  ORDER BY ended_at
  LIMIT $2::int
  FOR UPDATE SKIP LOCKED
)
DELETE FROM executions e USING doomed d
WHERE e.id = d.id
RETURNING e.id
