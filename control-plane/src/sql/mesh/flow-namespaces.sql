-- The namespaces that hold live flows: the service decides which of them the caller
-- reads before anything else is fetched.
SELECT DISTINCT namespace FROM flows WHERE deleted_at IS NULL ORDER BY namespace
