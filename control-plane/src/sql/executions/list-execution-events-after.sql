-- An execution's history after an event id, with what names each task run (follow, SSE).
-- $1 execution id, $2 after this event id (0 = from the start), $3 rows to fetch
SELECT ev.id, ev.task_run_id, ev.from_state, ev.to_state, ev.at, t.task_id, t.path, t.attempt
FROM execution_events ev
LEFT JOIN task_runs t ON t.id = ev.task_run_id
WHERE ev.execution_id = $1::uuid AND ev.id > $2::bigint
ORDER BY ev.id
LIMIT $3::int
