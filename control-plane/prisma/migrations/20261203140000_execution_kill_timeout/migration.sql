-- Kill, restart and flow timeouts (issue 11): when a running execution must have
-- ended (its flow's `timeout`, set when it starts), and the children of an execution
-- (core.subflow) found from their parent when it is killed.
ALTER TABLE "executions" ADD COLUMN "timeout_at" TIMESTAMPTZ(3);
-- The executor's sweep looks only at running executions with a deadline.
CREATE INDEX "executions_timeout_at_idx" ON "executions"("timeout_at") WHERE "ended_at" IS NULL AND "timeout_at" IS NOT NULL;
CREATE INDEX IF NOT EXISTS "executions_parent_execution_id_idx" ON "executions"("parent_execution_id");
