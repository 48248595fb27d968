-- Flow triggers and subflows (SPEC §9, issue 11 items 4 and 6).
--
-- An ended execution has follow-ups: the flows whose flow trigger lists its flow, and
-- the parent of a subflow. They are pending until one replica has handled them, so the
-- decision survives a crash between "the upstream ended" and "the downstream was
-- created": every statement that ends an execution sets ended_at, and with it the row
-- enters the partial index below (no end statement can forget the follow-ups); the
-- handler takes rows with SKIP LOCKED and sets end_handled in the same transaction
-- as what it starts. Executions that ended before this migration have no follow-ups.
ALTER TABLE "executions" ADD COLUMN "end_handled" BOOLEAN NOT NULL DEFAULT false;
UPDATE "executions" SET "end_handled" = true WHERE "ended_at" IS NOT NULL;
CREATE INDEX "executions_end_pending_idx" ON "executions"("ended_at") WHERE "ended_at" IS NOT NULL AND NOT "end_handled";

-- A subflow's child: the parent's task run that waits for it (the child's end ends it).
ALTER TABLE "executions" ADD COLUMN "parent_task_run_id" UUID;
-- Kill cascades to children; the sweep leaves parents waiting on a child alone.
CREATE INDEX "executions_parent_execution_id_idx" ON "executions"("parent_execution_id") WHERE "parent_execution_id" IS NOT NULL;

-- One row per (downstream flow, flow trigger, upstream execution): a trigger counts an
-- upstream end once however many replicas handle it (the primary key). Rows not yet
-- consumed are the upstream ends since the trigger last fired; firing (or a refusal)
-- consumes them, which resets the trigger. What became of each end (the downstream
-- execution, or why it was refused) is shown on the upstream execution.
CREATE TABLE "flow_trigger_events" (
    "flow_pk" UUID NOT NULL,
    "trigger_id" TEXT NOT NULL,
    "upstream_execution_id" UUID NOT NULL,
    "upstream_namespace" TEXT NOT NULL,
    "upstream_flow_id" TEXT NOT NULL,
    "upstream_state" TEXT NOT NULL,
    "upstream_ended_at" TIMESTAMPTZ(3) NOT NULL,
    "downstream_namespace" TEXT NOT NULL,
    "downstream_flow_id" TEXT NOT NULL,
    "consumed" BOOLEAN NOT NULL DEFAULT false,
    "execution_id" UUID,
    "refused" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flow_trigger_events_pkey" PRIMARY KEY ("flow_pk", "trigger_id", "upstream_execution_id")
);
CREATE INDEX "flow_trigger_events_upstream_execution_id_idx" ON "flow_trigger_events"("upstream_execution_id");
CREATE INDEX "flow_trigger_events_open_idx" ON "flow_trigger_events"("flow_pk", "trigger_id", "upstream_ended_at") WHERE NOT "consumed";
-- The retention purge of executions takes their trigger events along.
ALTER TABLE "flow_trigger_events" ADD CONSTRAINT "flow_trigger_events_upstream_execution_id_fkey" FOREIGN KEY ("upstream_execution_id") REFERENCES "executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
