-- Platform policies (SPEC §12): CEL rules that every flow or table contract of a
-- namespace subtree must satisfy. `namespace` is a name, not a foreign key: a policy
-- scopes a subtree, which may be governed before (or after) its namespaces exist.
CREATE TABLE "policies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    -- 'flow' | 'table': what the expression's `object` is.
    "applies_to" TEXT NOT NULL,
    "expression" TEXT NOT NULL,
    -- 'error' blocks the PUT (422); 'warning' is reported and never blocks.
    "severity" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "policies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "policies_applies_to_check" CHECK ("applies_to" IN ('flow', 'table')),
    CONSTRAINT "policies_severity_check" CHECK ("severity" IN ('error', 'warning'))
);
CREATE UNIQUE INDEX "policies_name_key" ON "policies"("name");
-- Every flow and table PUT reads the policies of its kind on its namespace's ancestors.
CREATE INDEX "policies_applies_to_namespace_idx" ON "policies"("applies_to", "namespace");
