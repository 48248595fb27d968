-- Not a state change: what GET /metrics reports of the whole database, cheap enough for
-- every scrape. Unended executions by state (the partial index of unended executions,
-- never the history), and the task runs claimable now (the claim index).
SELECT
  (SELECT coalesce(jsonb_object_agg(state, n), '{}'::jsonb)
   FROM (SELECT state, count(*)::int AS n FROM executions WHERE ended_at IS NULL GROUP BY state) s) AS executions,
  (SELECT count(*)::int FROM task_runs
   WHERE state IN ('CREATED', 'RETRYING') AND NOT flowable AND available_at <= CURRENT_TIMESTAMP) AS claimable
