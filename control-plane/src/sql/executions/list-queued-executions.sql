-- The executions of a flow waiting behind its concurrency limit, oldest first.
-- $1 flow pk, $2 at most this many
SELECT id FROM executions
WHERE flow_pk = $1::uuid AND state = 'QUEUED'
ORDER BY created_at, id
LIMIT $2::int
