-- A page of an execution's logs in order, keyset on id. $1 execution id, $2 after id (0 = first
-- page), $3 task run id or null, $4 levels (null = all), $5 rows to fetch
SELECT id, task_run_id, at, level, message
FROM execution_logs
WHERE execution_id = $1::uuid AND id > $2::bigint
  AND ($3::uuid IS NULL OR task_run_id = $3::uuid)
  AND ($4::text[] IS NULL OR level = ANY($4::text[]))
ORDER BY id
LIMIT $5::int
