-- Re-derives a flow's derived rows (the one sync of derived-sync.sql) if the flow is
-- still at the given revision, and records the version of the derivation. Needed after
-- a write that waited on a concurrent writer (see put-flow.sql): this statement's fresh
-- snapshot sees every committed derived row, and the row lock makes a newer writer (who
-- would own the rows) skip us or wait. Also run at start-up for flows derived by older
-- code (flows.derived_version).
-- $1 namespace, $2 flow id, $3 revision, $4 derived jsonb {edges, tables, schedules}, $5 derived version
WITH
f AS (
  SELECT id FROM flows WHERE namespace = $1 AND flow_id = $2 AND revision = $3::int FOR UPDATE
),
-- include: derived-sync flow_pk=(SELECT id FROM f) derived=$4::jsonb
versioned AS (
  UPDATE flows SET derived_version = $5::int WHERE id = (SELECT id FROM f) AND derived_version IS DISTINCT FROM $5::int
)
SELECT count(*)::int AS resynced FROM f
