-- Executions the executor must look at again: created (or restarted) but never advanced, queued
-- (their turn may have come while no one looked), or running
-- or killing with nothing left queued or running, no subflow child running (their last decision was lost, e.g. the process
-- stopped between a completion and the decision after it). $1 idle ms, $2 at most this many
SELECT e.id
FROM executions e
WHERE e.ended_at IS NULL AND e.state IN ('CREATED', 'QUEUED', 'RUNNING', 'RETRYING', 'KILLING')
  AND e.created_at < CURRENT_TIMESTAMP - make_interval(secs => $1::int / 1000.0)
  AND NOT EXISTS (
    SELECT 1 FROM task_runs t
    WHERE t.execution_id = e.id AND NOT t.flowable AND t.state IN ('CREATED', 'RETRYING', 'RUNNING', 'KILLING')
  )
  -- a parent waiting for a subflow's child is advanced by the child's end
  AND NOT EXISTS (SELECT 1 FROM executions c WHERE c.parent_execution_id = e.id AND c.ended_at IS NULL)
  AND NOT EXISTS (
    SELECT 1 FROM task_runs t
    WHERE t.execution_id = e.id AND coalesce(t.ended_at, t.created_at) > CURRENT_TIMESTAMP - make_interval(secs => $1::int / 1000.0)
  )
ORDER BY e.created_at
LIMIT $2::int
