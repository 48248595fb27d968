-- Not a state change: pending ends that have nothing to follow — not a subflow's child,
-- and no enabled flow trigger of a live, enabled flow listening to their flow (the edges
-- downstream-flows.sql reads) — are marked handled in bulk, oldest first, at most $1. A
-- burst's thousands of ends then do not queue, one transaction each, in front of the end
-- whose downstream waits. Rows another handler holds are skipped; it handles them.
WITH plain AS (
  SELECT e.id
  FROM executions e
  WHERE e.ended_at IS NOT NULL AND NOT e.end_handled AND e.parent_task_run_id IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM flow_edges fe JOIN flows f ON f.id = fe.flow_pk
      WHERE fe.upstream_namespace = e.namespace AND fe.upstream_flow_id = e.flow_id AND fe.kind = 'trigger'
        AND NOT fe.disabled AND f.deleted_at IS NULL AND NOT f.disabled)
  ORDER BY e.ended_at
  LIMIT $1::int
  FOR UPDATE OF e SKIP LOCKED
)
UPDATE executions x SET end_handled = true FROM plain p WHERE x.id = p.id
RETURNING x.id
