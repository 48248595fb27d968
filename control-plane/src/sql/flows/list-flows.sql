-- A page of live flows in ONE namespace, keyset-paginated on flow_id so page N costs the
-- same as page 1 (the unique index on (namespace, flow_id) serves it). No optional
-- filters, so it runs as a prepared statement: planning was half the cost of a page.
-- $1 namespace, $2 after flow id ('' = first page: flow ids are never empty), $3 rows to fetch
SELECT namespace, flow_id, revision, source, labels, description, disabled, created_at, updated_at, deleted_at
FROM flows
WHERE namespace = $1 AND flow_id > $2 AND deleted_at IS NULL
ORDER BY flow_id
LIMIT $3::int
