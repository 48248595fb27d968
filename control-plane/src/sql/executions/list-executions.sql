-- A page of executions in a namespace subtree ('' = every namespace), newest first,
-- keyset-paginated on (created_at, id). LIKE's wildcards in the namespace are escaped.
-- The first page compares with (infinity, max uuid) rather than skipping the comparison:
-- under a generic plan (every session of this pool uses one) `$4 IS NULL OR (…) < (…)`
-- cannot bound the index scan, so page k read k pages of rows (p99 250 ms for pages of a
-- 1,000,000-task-run namespace); a plain row comparison starts the scan at the cursor.
-- $1 namespace or '', $2 flow id or '', $3 state or '', $4 before created_at (null = first page),
-- $5 before id, $6 rows to fetch, $7 created at or after (null: no bound), $8 created before
-- (null: no bound), $9 labels it must all carry (a JSON object; '{}' = any)
SELECT id, namespace, flow_id, flow_revision, state, inputs, labels, trigger, parent_execution_id, error, created_at, started_at, ended_at
FROM executions
WHERE ($1 = '' OR namespace = $1 OR namespace LIKE replace(replace($1, '\', '\\'), '_', '\_') || '.%')
  AND ($2 = '' OR flow_id = $2)
  AND ($3 = '' OR state = $3)
  AND (created_at, id) < (coalesce($4::timestamptz, 'infinity'::timestamptz), coalesce($5::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid))
  AND ($7::timestamptz IS NULL OR created_at >= $7::timestamptz)
  AND ($8::timestamptz IS NULL OR created_at < $8::timestamptz)
  AND labels @> $9::jsonb
ORDER BY created_at DESC, id DESC
LIMIT $6::int
