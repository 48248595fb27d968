-- Serialises the starts of one flow's executions across replicas until the transaction
-- ends (then count-running-executions.sql, a statement of its own so that its snapshot
-- follows the lock): a flow's concurrency limit holds however many start at once.
-- $1 flow pk
SELECT pg_advisory_xact_lock(1836346993, hashtext($1::text))
