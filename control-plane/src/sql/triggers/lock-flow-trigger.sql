-- Serialises the handling of one flow trigger across replicas until the transaction
-- ends: two upstreams ending at once are both counted by whichever handler comes second
-- (its next statement's snapshot follows the lock). $1 flow pk, $2 trigger id
SELECT pg_advisory_xact_lock(1836346994, hashtext($1::text || '/' || $2))
