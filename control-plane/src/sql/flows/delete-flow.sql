-- Soft-deletes one flow in ONE statement: a new revision marked deleted (so history
-- shows who deleted it and a later re-creation continues the numbering), its derived
-- rows removed (the one sync of derived-sync.sql, to nothing), and the audit event. Refused (nothing written)
-- while live flows depend on it, unless forced. `stale` as in put-flow.sql.
--
-- $1 namespace, $2 flow id, $3 force, $4 expected revision (null = none),
-- $5 subject, $6 subject kind, $7 request id
WITH
cur AS (
  SELECT * FROM flows WHERE namespace = $1 AND flow_id = $2 AND deleted_at IS NULL
),
dependents AS (
  SELECT DISTINCT f.namespace, f.flow_id, e.kind
  FROM flow_edges e JOIN flows f ON f.id = e.flow_pk
  WHERE e.upstream_namespace = $1 AND e.upstream_flow_id = $2 AND f.deleted_at IS NULL
    AND NOT (f.namespace = $1 AND f.flow_id = $2)
),
dependents_json AS (
  SELECT COALESCE(jsonb_agg(jsonb_build_object('namespace', d.namespace, 'id', d.flow_id, 'kind', d.kind) ORDER BY d.namespace, d.flow_id, d.kind), '[]'::jsonb) AS list
  FROM (SELECT * FROM dependents ORDER BY namespace, flow_id, kind LIMIT 200) d
),
upd AS (
  UPDATE flows f
  SET revision = f.revision + 1, deleted_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP
  WHERE f.namespace = $1 AND f.flow_id = $2 AND f.deleted_at IS NULL
    AND ($3::boolean OR NOT EXISTS (SELECT 1 FROM dependents))
    AND ($4::int IS NULL OR f.revision = $4::int)
  RETURNING f.*
),
rev AS (
  INSERT INTO flow_revisions (flow_pk, revision, source, deleted, created_by)
  SELECT id, revision, source, true, $5 FROM upd
),
-- The id as a scalar, not `IN (SELECT id FROM upd)`: a join would carry upd's whole row
-- (the source) in every deleted row (see put-flow.sql). Derived from nothing: all go.
-- include: derived-sync flow_pk=(SELECT id FROM upd) derived=NULL::jsonb
audit AS (
  INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, namespace, before, after, request_id)
  SELECT $5, $6, 'flow.delete', 'flow', $1 || '/' || $2, $1,
         meshplane_flow_audit_state(p.revision, p.labels, p.description, p.disabled, p.source, NULL),
         jsonb_build_object('revision', u.revision, 'deleted', true, 'forced', $3::boolean AND EXISTS (SELECT 1 FROM dependents),
                            'dependents', (SELECT list FROM dependents_json)),
         $7
  FROM upd u JOIN cur p ON true
)
SELECT
  EXISTS (SELECT 1 FROM upd) AS deleted,
  -- Waited for a concurrent writer: its derived rows were invisible here (see put-flow.sql).
  (SELECT revision FROM upd) IS DISTINCT FROM (SELECT revision FROM cur) + 1 AND EXISTS (SELECT 1 FROM upd) AS stale,
  (SELECT revision FROM upd) AS deleted_revision,
  (SELECT revision FROM cur) AS current_revision,
  (SELECT list FROM dependents_json) AS dependents
