-- One counted end that cannot fire (its downstream flow's inputs do not fit): consumed, with the reason.
-- $1 flow pk, $2 trigger id, $3 upstream execution id, $4 why
UPDATE flow_trigger_events SET consumed = true, refused = $4
WHERE flow_pk = $1::uuid AND trigger_id = $2 AND upstream_execution_id = $3::uuid
