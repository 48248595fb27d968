-- The latest run-time refusal (trigger.denied, services/run-time-grants.ts) of each
-- reference of the given flows, found through audit_events (resource_type, resource_id).
-- $1 flow keys "namespace/flowId" (text[])
SELECT DISTINCT ON (a.resource_id, a.after->>'kind', a.after->'upstream'->>'namespace', a.after->'upstream'->>'flowId')
  a.resource_id, a.after->>'kind' AS kind, a.after->'upstream'->>'namespace' AS upstream_namespace,
  a.after->'upstream'->>'flowId' AS upstream_flow_id, a.at
FROM audit_events a
WHERE a.resource_type = 'flow' AND a.resource_id = ANY($1::text[]) AND a.action = 'trigger.denied'
ORDER BY a.resource_id, a.after->>'kind', a.after->'upstream'->>'namespace', a.after->'upstream'->>'flowId', a.id DESC
