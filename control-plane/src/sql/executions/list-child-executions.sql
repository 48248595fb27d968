-- The executions a parent started (core.subflow) that have not ended: a kill reaches them.
-- $1 parent execution id
SELECT id FROM executions WHERE parent_execution_id = $1::uuid AND ended_at IS NULL ORDER BY created_at
