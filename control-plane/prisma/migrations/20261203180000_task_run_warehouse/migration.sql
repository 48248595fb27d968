-- Task runs that need the warehouse (sql.query): only a process holding one claims them.
-- The embedded DuckDB file is opened by one process at a time, so its sql.query runs must
-- land on that process (ARCHITECTURE.md, "Warehouse").
ALTER TABLE "task_runs" ADD COLUMN "needs_warehouse" BOOLEAN NOT NULL DEFAULT false;
