-- A page of live flows in a namespace and its subtree, keyset-paginated on
-- (namespace, flow_id). LIKE's wildcards in the namespace are escaped (`_` is legal in
-- namespace names). $1 namespace, $2 after namespace ('' = first page), $3 after flow id,
-- $4 rows to fetch
SELECT namespace, flow_id, revision, source, labels, description, disabled, created_at, updated_at, deleted_at
FROM flows
WHERE (namespace = $1 OR namespace LIKE replace(replace($1, '\', '\\'), '_', '\_') || '.%')
  AND (namespace, flow_id) > ($2::text, $3::text)
  AND deleted_at IS NULL
ORDER BY namespace, flow_id
LIMIT $4::int
