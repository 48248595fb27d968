-- Everything derived from a flow's current revision, kept by ONE sync
-- (src/sql/flows/derived-sync.sql, included by put-flow, resync-derived and delete-flow):
-- trigger edges now carry their trigger id, states and window; schedules are indexed by
-- when they are next due; executions started by a schedule are unique per slot.

-- A flow trigger's edges: one row per (trigger, upstream), so two triggers of one flow on
-- the same upstream keep their own states and window. '' for subflow edges (no trigger).
ALTER TABLE "flow_edges" ADD COLUMN "trigger_id" TEXT NOT NULL DEFAULT '';
-- Upstream end states that fire the trigger (default [SUCCESS]); null for subflow edges.
ALTER TABLE "flow_edges" ADD COLUMN "states" TEXT[];
-- With several upstreams, each must have ended within this many ms of the others (default P1D).
ALTER TABLE "flow_edges" ADD COLUMN "window_ms" BIGINT;
-- A trigger marked `disabled: true` keeps its edges (the graph and the cycle check still
-- see them) but never fires.
ALTER TABLE "flow_edges" ADD COLUMN "disabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "flow_edges" DROP CONSTRAINT "flow_edges_pkey";
ALTER TABLE "flow_edges" ADD CONSTRAINT "flow_edges_pkey" PRIMARY KEY ("flow_pk", "upstream_namespace", "upstream_flow_id", "kind", "trigger_id");
-- Rows written before this migration carry no trigger id: the server re-derives every
-- flow whose derived rows are older than the code's (flows.derived_version, see
-- services/flow-derived-resync.ts, run by server.ts at start-up).
UPDATE "flow_edges" e SET "states" = ARRAY['SUCCESS'], "window_ms" = 86400000 WHERE e."kind" = 'trigger';

ALTER TABLE "flows" ADD COLUMN "derived_version" INTEGER NOT NULL DEFAULT 0;

-- The schedule triggers of live, enabled flows that are not disabled themselves: a row
-- here is what the scheduler fires (src/orchestrator/scheduler.ts).
CREATE TABLE "flow_schedules" (
    "flow_pk" UUID NOT NULL,
    "trigger_id" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    -- IANA zone the cron is read in (UTC unless the trigger says otherwise).
    "timezone" TEXT NOT NULL,
    -- LAST | ALL | NONE: which slots missed while no scheduler ran are still fired.
    "recover" TEXT NOT NULL,
    -- The first slot not fired yet; null until the scheduler has computed it (new or
    -- changed cron/timezone: the schedule applies from the next slot after changed_at).
    "next_fire_at" TIMESTAMPTZ(3),
    -- The latest slot fired (per-trigger state for recovery and for reading).
    "last_fired_for" TIMESTAMPTZ(3),
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flow_schedules_pkey" PRIMARY KEY ("flow_pk", "trigger_id")
);
-- A tick reads only what is due (and the earliest next slot, to know how long to sleep).
CREATE INDEX "flow_schedules_next_fire_at_idx" ON "flow_schedules"("next_fire_at");
CREATE INDEX "flow_schedules_uninitialised_idx" ON "flow_schedules"("changed_at") WHERE "next_fire_at" IS NULL;
ALTER TABLE "flow_schedules" ADD CONSTRAINT "flow_schedules_flow_pk_fkey" FOREIGN KEY ("flow_pk") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Exactly one execution per schedule slot, whatever the number of replicas: the
-- scheduler's INSERT … ON CONFLICT DO NOTHING on this key.
ALTER TABLE "executions" ADD COLUMN "schedule_trigger_id" TEXT;
ALTER TABLE "executions" ADD COLUMN "scheduled_for" TIMESTAMPTZ(3);
CREATE UNIQUE INDEX "executions_schedule_slot_key" ON "executions"("flow_pk", "schedule_trigger_id", "scheduled_for") WHERE "schedule_trigger_id" IS NOT NULL;

-- The one builder of a flow's state as audit events show it (before/after of
-- flow.create, flow.update, flow.delete). `deleted` is left out when null.
CREATE FUNCTION "meshplane_flow_audit_state"(revision INTEGER, labels JSONB, description TEXT, disabled BOOLEAN, source TEXT, deleted BOOLEAN)
RETURNS JSONB LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object('revision', revision, 'labels', labels, 'description', description, 'disabled', disabled,
                            'sourceSha256', encode(sha256(convert_to(source, 'UTF8')), 'hex'))
         || CASE WHEN deleted IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('deleted', deleted) END
$$;
