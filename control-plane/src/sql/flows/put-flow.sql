-- Registers or updates one flow in ONE statement (one round trip, atomic on its own):
-- the revision check, the new revision, the derived rows (edges, table references,
-- schedules: the one sync of derived-sync.sql, included below), and the audit event.
-- Data-modifying CTEs all run against the same snapshot, so the branches below are
-- written to be disjoint (update XOR insert; derived rows deleted are never the ones
-- upserted). Concurrency is settled by the UPDATE's row lock: a waiting writer
-- re-checks `revision = $7` against the committed row and updates nothing if it moved.
-- A writer that waited and then updated anyway (no If-Match) cannot see the derived
-- rows the other writer committed meanwhile; it answers `stale` and the caller
-- re-derives them with resync-derived.sql (a revision that jumped by more than one).
--
-- $1 namespace, $2 flow id, $3 source, $4 labels (jsonb), $5 description, $6 disabled,
-- $7 expected revision (If-Match, null = none), $8 must already exist (If-Match: *),
-- $9 derived jsonb {edges, tables, schedules} (see derived-sync.sql), $10 derived version,
-- $11 subject, $12 subject kind, $13 request id, $14 governing namespace,
-- $15 must not exist (If-None-Match: *: only a deleted flow may be revived)
WITH RECURSIVE
-- The namespace this write's permission came from, held until the write commits: a
-- concurrent namespace deletion (FOR UPDATE) waits for it, or has removed the row and
-- the write changes nothing ('namespace-gone').
governing AS (
  SELECT id FROM namespaces WHERE name = $14 FOR KEY SHARE
),
cur AS (
  SELECT * FROM flows WHERE namespace = $1 AND flow_id = $2
),
-- Everything the new version would (transitively) listen to or call, walking the
-- stored edges of live flows but not this flow's own (they are being replaced).
-- UNION (not UNION ALL) makes the walk stop on cycles already in the graph.
reach(namespace, flow_id) AS (
  SELECT namespace, flow_id FROM derived_edges
  UNION
  SELECT e.upstream_namespace, e.upstream_flow_id
  FROM reach r
  -- OFFSET 0 keeps this a parameterized index lookup per node: otherwise the planner
  -- may hash every flow once per write, which grows with the size of the installation.
  CROSS JOIN LATERAL (
    SELECT f.id FROM flows f WHERE f.namespace = r.namespace AND f.flow_id = r.flow_id AND f.deleted_at IS NULL OFFSET 0
  ) f
  JOIN flow_edges e ON e.flow_pk = f.id
  WHERE NOT (r.namespace = $1 AND r.flow_id = $2)
),
cycle AS (
  SELECT EXISTS (SELECT 1 FROM reach WHERE namespace = $1 AND flow_id = $2) AS found
),
upd AS (
  UPDATE flows f
  SET revision = f.revision + 1, source = $3, labels = $4::jsonb, description = $5,
      disabled = $6, deleted_at = NULL, updated_at = CURRENT_TIMESTAMP, derived_version = $10::int
  WHERE f.namespace = $1 AND f.flow_id = $2
    AND (f.deleted_at IS NOT NULL OR f.source <> $3)
    AND ($7::int IS NULL OR (f.deleted_at IS NULL AND f.revision = $7::int))
    AND (NOT $8::boolean OR f.deleted_at IS NULL)
    AND (NOT $15::boolean OR f.deleted_at IS NOT NULL)
    AND NOT (SELECT found FROM cycle) AND EXISTS (SELECT 1 FROM governing)
  RETURNING f.*
),
ins AS (
  INSERT INTO flows (id, namespace, flow_id, revision, source, labels, description, disabled, derived_version)
  SELECT gen_random_uuid(), $1, $2, 1, $3, $4::jsonb, $5, $6, $10::int
  WHERE NOT EXISTS (SELECT 1 FROM cur) AND $7::int IS NULL AND NOT $8::boolean AND NOT (SELECT found FROM cycle) AND EXISTS (SELECT 1 FROM governing)
  ON CONFLICT (namespace, flow_id) DO NOTHING
  RETURNING *
),
changed AS (
  SELECT * FROM upd UNION ALL SELECT * FROM ins
),
rev AS (
  INSERT INTO flow_revisions (flow_pk, revision, source, deleted, created_by)
  SELECT id, revision, source, false, $11 FROM changed
),
-- The derived rows are matched on the flow's id as a scalar (an InitPlan), never on a
-- join with `changed`: a DELETE joined to a CTE carries that CTE's whole row (the new
-- source) in every joined row for its concurrency re-check, and a hash of 40,000 table
-- refs then held 40,000 copies of a 900 KB source (tens of GB of temp files). Kept this
-- way, the diffs handle rows of a few dozen bytes: linear with the hash the planner
-- picks, and bounded by the flow limits (flows/flow-limits.ts) whatever the plan.
-- include: derived-sync flow_pk=(SELECT id FROM changed) derived=$9::jsonb
audit AS (
  INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, before, after, request_id)
  SELECT $11, $12,
         CASE WHEN p.id IS NULL OR p.deleted_at IS NOT NULL THEN 'flow.create' ELSE 'flow.update' END,
         'flow', $1 || '/' || $2, $1,
         CASE WHEN p.id IS NULL THEN NULL ELSE meshplane_flow_audit_state(p.revision, p.labels, p.description, p.disabled, p.source, p.deleted_at IS NOT NULL) END,
         meshplane_flow_audit_state(c.revision, c.labels, c.description, c.disabled, c.source, NULL),
         $13
  FROM changed c LEFT JOIN cur p ON true
)
SELECT
  CASE
    WHEN NOT EXISTS (SELECT 1 FROM governing) THEN 'namespace-gone'
    WHEN EXISTS (SELECT 1 FROM ins) THEN 'created'
    WHEN EXISTS (SELECT 1 FROM upd) THEN CASE WHEN (SELECT deleted_at FROM cur) IS NOT NULL THEN 'revived' ELSE 'updated' END
    WHEN (SELECT found FROM cycle) THEN 'cycle'
    ELSE 'untouched'
  END AS outcome,
  (SELECT revision FROM upd) IS DISTINCT FROM (SELECT revision FROM cur) + 1 AND EXISTS (SELECT 1 FROM upd) AS stale,
  r.namespace, r.flow_id, r.revision, r.source, r.labels, r.description, r.disabled, r.created_at, r.updated_at, r.deleted_at
FROM (SELECT 1) one
LEFT JOIN LATERAL (
  SELECT * FROM changed
  UNION ALL
  SELECT * FROM cur WHERE NOT EXISTS (SELECT 1 FROM changed)
  LIMIT 1
) r ON true
