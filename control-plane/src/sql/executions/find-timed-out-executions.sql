-- Running executions past their flow's `timeout` (timeout_at, set when they started).
-- $1 at most this many
SELECT id FROM executions
WHERE ended_at IS NULL AND timeout_at IS NOT NULL AND timeout_at < CURRENT_TIMESTAMP AND state IN ('RUNNING', 'RETRYING')
ORDER BY timeout_at
LIMIT $1::int
