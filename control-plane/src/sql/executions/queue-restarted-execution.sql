-- transition: execution RETRYING -> QUEUED
-- A restart while its flow already runs as many executions as its concurrency limit: it
-- waits its turn QUEUED (whatever the limit's behavior: a restart is not cancelled or
-- failed by it), and its failed task runs get their next attempts when it takes a slot.
-- $1 execution id
WITH queued AS (
  UPDATE executions SET state = 'QUEUED' WHERE id = $1::uuid AND state = 'RETRYING'
  RETURNING id
)
INSERT INTO execution_events (execution_id, from_state, to_state)
SELECT id, 'RETRYING', 'QUEUED' FROM queued
RETURNING execution_id
