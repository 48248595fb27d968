-- The retention purge (src/sql/executions/purge-ended-executions.sql) takes the oldest
-- ended executions first: only ended ones are in this index, so the purge never reads
-- the running ones nor scans the table.
CREATE INDEX "executions_ended_at_idx" ON "executions"("ended_at") WHERE "ended_at" IS NOT NULL;
