-- OIDC federation (SPEC §12): a service account trusts tokens of an issuer whose audience
-- and listed claims match exactly, instead of holding an API key. Access tokens exchanged
-- through a rule carry its id, so deleting the rule revokes them (like revoking a key).
CREATE TABLE "service_account_federations" (
    "id" UUID NOT NULL,
    "service_account_id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    -- {"repository": "acme/retail-sales", "ref": "refs/heads/main", …}: strings only, all must match.
    "claims" JSONB NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "service_account_federations_pkey" PRIMARY KEY ("id")
);
-- The same rule twice on one account is a 409, not a silent duplicate.
CREATE UNIQUE INDEX "service_account_federations_rule_key" ON "service_account_federations"("service_account_id", "issuer", "audience", "claims");
-- An exchange reads every rule of the token's issuer.
CREATE INDEX "service_account_federations_issuer_idx" ON "service_account_federations"("issuer");
ALTER TABLE "service_account_federations" ADD CONSTRAINT "service_account_federations_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
