-- Executions (SPEC §9): one run of one pinned flow revision, its task runs (one per
-- attempt, parallel branch and foreach value), their state history and their logs.
-- The task-run table is also the work queue: workers claim rows with SKIP LOCKED.

CREATE TABLE "executions" (
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "flow_pk" UUID NOT NULL,
    -- Pinned when the execution is created: it always runs this revision's source.
    "flow_revision" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "inputs" JSONB NOT NULL DEFAULT '{}',
    "labels" JSONB NOT NULL DEFAULT '{}',
    -- {type, subject?, triggerId?, scheduledFor?, upstream?}
    "trigger" JSONB NOT NULL,
    "parent_execution_id" UUID,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    CONSTRAINT "executions_pkey" PRIMARY KEY ("id")
);
-- Listing newest first within a namespace subtree (namespace = $1 OR namespace LIKE '$1.%').
CREATE INDEX "executions_namespace_created_at_id_idx" ON "executions"("namespace", "created_at" DESC, "id" DESC);
CREATE INDEX "executions_created_at_id_idx" ON "executions"("created_at" DESC, "id" DESC);
CREATE INDEX "executions_flow_pk_created_at_idx" ON "executions"("flow_pk", "created_at" DESC);
-- The executor's sweep looks only at executions that have not ended.
CREATE INDEX "executions_active_idx" ON "executions"("state", "created_at") WHERE "ended_at" IS NULL;

CREATE TABLE "task_runs" (
    "id" UUID NOT NULL,
    "execution_id" UUID NOT NULL,
    "task_id" TEXT NOT NULL,
    -- Position in the task tree: `par/load`, `each/2/load` (2 = the foreach value's index).
    "path" TEXT NOT NULL,
    "value" JSONB,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    -- flowable: parallel/foreach, driven by the executor, never claimed by a worker.
    "flowable" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    -- A worker may claim the row from this time on (a retry's backoff).
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The claim: which worker, under which lease (a completion must quote it), until when.
    "worker_id" TEXT,
    "lease_id" UUID,
    "lease_until" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "outputs" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    CONSTRAINT "task_runs_pkey" PRIMARY KEY ("id")
);
-- One row per attempt of one position: a decision taken twice inserts nothing the second time.
CREATE UNIQUE INDEX "task_runs_execution_id_path_attempt_key" ON "task_runs"("execution_id", "path", "attempt");
-- The claim query: only claimable rows are in this index, oldest first.
CREATE INDEX "task_runs_claimable_idx" ON "task_runs"("available_at") WHERE "state" IN ('CREATED', 'RETRYING') AND NOT "flowable";
-- Lease expiry (a dead worker's rows are resubmitted).
CREATE INDEX "task_runs_leased_idx" ON "task_runs"("lease_until") WHERE "state" = 'RUNNING' AND NOT "flowable";

CREATE TABLE "execution_events" (
    "id" BIGSERIAL NOT NULL,
    "execution_id" UUID NOT NULL,
    -- null: the execution's own state changed; else this task run's.
    "task_run_id" UUID,
    "from_state" TEXT,
    "to_state" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "execution_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "execution_events_execution_id_id_idx" ON "execution_events"("execution_id", "id");

CREATE TABLE "execution_logs" (
    "id" BIGSERIAL NOT NULL,
    "execution_id" UUID NOT NULL,
    "task_run_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    CONSTRAINT "execution_logs_pkey" PRIMARY KEY ("id")
);
-- Paging an execution's logs in order (keyset on id).
CREATE INDEX "execution_logs_execution_id_id_idx" ON "execution_logs"("execution_id", "id");

ALTER TABLE "task_runs" ADD CONSTRAINT "task_runs_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "execution_events" ADD CONSTRAINT "execution_events_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
