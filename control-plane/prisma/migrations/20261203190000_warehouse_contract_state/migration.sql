-- The warehouse's side of a contract (ARCHITECTURE.md "Contracts are tables"): the version
-- the process owning the warehouse last applied, or why applying the current one failed.
-- NULL/NULL: not applied yet (a PUT notifies the owner on meshplane_contracts).
ALTER TABLE "table_contracts" ADD COLUMN "warehouse_version" TEXT;
ALTER TABLE "table_contracts" ADD COLUMN "warehouse_error" TEXT;
