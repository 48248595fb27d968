-- What the run-time grant check needs (services/run-time-grants.ts applies the rule of
-- services/flow-policy.ts): the registered namespaces governing each side (nearest
-- self-or-ancestor) with their owner teams, and every grant that could cover the
-- reference. $1 the upstream namespace and its ancestors, $2 the downstream's
SELECT
  (SELECT jsonb_build_object('name', n.name, 'teamId', n.owner_team_id, 'team', t.name)
   FROM namespaces n JOIN teams t ON t.id = n.owner_team_id
   WHERE n.name = ANY($1::text[]) ORDER BY length(n.name) DESC LIMIT 1) AS upstream,
  (SELECT jsonb_build_object('name', n.name, 'teamId', n.owner_team_id, 'team', t.name)
   FROM namespaces n JOIN teams t ON t.id = n.owner_team_id
   WHERE n.name = ANY($2::text[]) ORDER BY length(n.name) DESC LIMIT 1) AS downstream,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('upstreamNamespace', g.upstream_namespace, 'upstreamFlow', g.upstream_flow,
                                               'downstreamNamespace', g.downstream_namespace, 'kinds', g.kinds)), '[]'::jsonb)
   FROM trigger_grants g
   WHERE g.upstream_namespace = ANY($1::text[]) AND g.downstream_namespace = ANY($2::text[])) AS grants
