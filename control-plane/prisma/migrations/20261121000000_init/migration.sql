-- Meshplane: initial schema (hand-written to match prisma/schema.prisma).

CREATE TABLE "teams" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "teams_name_key" ON "teams"("name");

CREATE TABLE "service_accounts" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "team_id" UUID NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "service_accounts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "service_accounts_name_key" ON "service_accounts"("name");
CREATE INDEX "service_accounts_team_id_idx" ON "service_accounts"("team_id");

CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "service_account_id" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");
CREATE INDEX "api_keys_service_account_id_idx" ON "api_keys"("service_account_id");

CREATE TABLE "namespaces" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "owner_team_id" UUID NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "namespaces_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "namespaces_name_key" ON "namespaces"("name");
CREATE INDEX "namespaces_owner_team_id_idx" ON "namespaces"("owner_team_id");

CREATE TABLE "role_bindings" (
    "id" UUID NOT NULL,
    "namespace" TEXT,
    "role" TEXT NOT NULL,
    "team_id" UUID,
    "service_account_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "role_bindings_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "role_bindings_team_id_idx" ON "role_bindings"("team_id");
CREATE INDEX "role_bindings_service_account_id_idx" ON "role_bindings"("service_account_id");
CREATE INDEX "role_bindings_namespace_idx" ON "role_bindings"("namespace");

CREATE TABLE "trigger_grants" (
    "id" UUID NOT NULL,
    "upstream_namespace" TEXT NOT NULL,
    "upstream_flow" TEXT NOT NULL DEFAULT '',
    "downstream_namespace" TEXT NOT NULL,
    "kinds" TEXT[],
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "trigger_grants_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "trigger_grants_upstream_namespace_upstream_flow_downstream_namespace_key" ON "trigger_grants"("upstream_namespace", "upstream_flow", "downstream_namespace");
CREATE INDEX "trigger_grants_downstream_namespace_idx" ON "trigger_grants"("downstream_namespace");

CREATE TABLE "flows" (
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "description" TEXT NOT NULL DEFAULT '',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flows_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "flows_namespace_flow_id_key" ON "flows"("namespace", "flow_id");

CREATE TABLE "flow_revisions" (
    "flow_pk" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flow_revisions_pkey" PRIMARY KEY ("flow_pk","revision")
);

CREATE TABLE "flow_edges" (
    "flow_pk" UUID NOT NULL,
    "upstream_namespace" TEXT NOT NULL,
    "upstream_flow_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    CONSTRAINT "flow_edges_pkey" PRIMARY KEY ("flow_pk","upstream_namespace","upstream_flow_id","kind")
);
CREATE INDEX "flow_edges_upstream_namespace_upstream_flow_id_idx" ON "flow_edges"("upstream_namespace", "upstream_flow_id");

-- Tables a flow's SQL reads or writes ("dataset.table"), derived like flow_edges.
CREATE TABLE "flow_table_refs" (
    "flow_pk" UUID NOT NULL,
    "dataset" TEXT NOT NULL,
    "table" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    CONSTRAINT "flow_table_refs_pkey" PRIMARY KEY ("flow_pk","dataset","table","kind")
);
CREATE INDEX "flow_table_refs_dataset_table_idx" ON "flow_table_refs"("dataset", "table");

CREATE TABLE "table_contracts" (
    "id" UUID NOT NULL,
    "namespace" TEXT NOT NULL,
    "dataset" TEXT NOT NULL,
    "table" TEXT NOT NULL,
    "schema" JSONB NOT NULL,
    "feed_type" TEXT NOT NULL,
    "keys" TEXT[],
    "description" TEXT NOT NULL DEFAULT '',
    "version" TEXT NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "table_contracts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "table_contracts_namespace_dataset_table_key" ON "table_contracts"("namespace", "dataset", "table");
-- "A dataset belongs to one namespace" looks tables up by dataset alone.
CREATE INDEX "table_contracts_dataset_idx" ON "table_contracts"("dataset");

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "subject" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "namespace" TEXT,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_namespace_id_idx" ON "audit_events"("namespace", "id");
CREATE INDEX "audit_events_resource_type_resource_id_idx" ON "audit_events"("resource_type", "resource_id");

ALTER TABLE "service_accounts" ADD CONSTRAINT "service_accounts_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "namespaces" ADD CONSTRAINT "namespaces_owner_team_id_fkey" FOREIGN KEY ("owner_team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "role_bindings" ADD CONSTRAINT "role_bindings_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow_revisions" ADD CONSTRAINT "flow_revisions_flow_pk_fkey" FOREIGN KEY ("flow_pk") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow_edges" ADD CONSTRAINT "flow_edges_flow_pk_fkey" FOREIGN KEY ("flow_pk") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow_table_refs" ADD CONSTRAINT "flow_table_refs_flow_pk_fkey" FOREIGN KEY ("flow_pk") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
