-- The audit record of a run-time refusal (trigger.denied): a flow trigger or a subflow
-- call without the producer's grant. $1 subject, $2 subject kind, $3 resource id (the
-- downstream flow, namespace/flowId), $4 its namespace, $5 details
INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, after)
VALUES ($1, $2, 'trigger.denied', 'flow', $3, $4, $5::jsonb)
