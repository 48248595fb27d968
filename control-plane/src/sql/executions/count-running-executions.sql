-- How many executions of a flow hold a concurrency slot. $1 flow pk
SELECT count(*)::int AS running FROM executions WHERE flow_pk = $1::uuid AND state IN ('RUNNING', 'KILLING')
