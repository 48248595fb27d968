-- What a worker needs to run the task runs it claimed: their executions, the pinned
-- revisions' sources, and the outputs of the task runs that succeeded so far (for
-- `{{ outputs.<task>.<name> }}`; executor-driven runs too: a core.subflow's executionId
-- and state). $1 execution ids
SELECT e.id, e.namespace, e.flow_id, e.flow_pk, e.flow_revision, e.inputs, e.labels, e.trigger,
       r.source,
       coalesce((SELECT jsonb_object_agg(t.task_id, t.outputs ORDER BY t.ended_at)
                 FROM task_runs t WHERE t.execution_id = e.id AND t.state IN ('SUCCESS', 'WARNING')), '{}'::jsonb) AS outputs
FROM executions e
JOIN flow_revisions r ON r.flow_pk = e.flow_pk AND r.revision = e.flow_revision
WHERE e.id = ANY($1::uuid[])
