-- A flow trigger fired (or was refused): the ends it counted are consumed, which resets
-- it, and each says what became of it. $1 flow pk, $2 trigger id, $3 downstream execution
-- id (null if refused), $4 why it was refused (null if it fired)
UPDATE flow_trigger_events SET consumed = true, execution_id = $3::uuid, refused = $4
WHERE flow_pk = $1::uuid AND trigger_id = $2 AND NOT consumed
