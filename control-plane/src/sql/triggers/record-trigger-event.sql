-- One upstream end counted by one flow trigger, once: the primary key (flow pk, trigger
-- id, upstream execution) makes a second handling of the same end insert nothing.
-- $1 flow pk, $2 trigger id, $3 upstream execution id, $4 upstream namespace, $5 upstream flow id,
-- $6 upstream end state, $7 upstream ended at, $8 downstream namespace, $9 downstream flow id
INSERT INTO flow_trigger_events (flow_pk, trigger_id, upstream_execution_id, upstream_namespace, upstream_flow_id, upstream_state,
                                 upstream_ended_at, downstream_namespace, downstream_flow_id)
VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7::timestamptz, $8, $9)
ON CONFLICT DO NOTHING
RETURNING upstream_execution_id
