-- The live contract of a table, for the gate before a sql.query write (worker task context).
-- A dataset belongs to one namespace, so dataset + table name it. $1 dataset, $2 table
SELECT namespace, dataset, "table", version, schema, feed_type, keys
FROM table_contracts
WHERE dataset = $1 AND "table" = $2 AND deleted_at IS NULL
LIMIT 1
