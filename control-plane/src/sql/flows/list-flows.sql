-- A page of live flows in a namespace (or its subtree), keyset-paginated on
-- (namespace, flow_id) so page N costs the same as page 1 (the unique index serves it).
-- $1 namespace, $2 include the subtree, $3 after namespace (null = first page),
-- $4 after flow id, $5 rows to fetch
SELECT namespace, flow_id, revision, source, labels, description, disabled, created_at, updated_at, deleted_at
FROM flows
WHERE deleted_at IS NULL
  AND (namespace = $1 OR ($2::boolean AND namespace LIKE replace(replace($1, '\', '\\'), '_', '\_') || '.%'))
  AND ($3::text IS NULL OR (namespace, flow_id) > ($3::text, $4::text))
ORDER BY namespace, flow_id
LIMIT $5::int
