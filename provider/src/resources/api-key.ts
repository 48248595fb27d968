// meshplane_api_key: an API key of a service account. The API shows the secret once,
// in the answer to the create call; the state keeps it (sensitive) for whoever needs
// to hand it to a CI secret store. Nothing of a key can change: every input replaces.
//
// Import: the API never shows a secret again, so an imported key has `secret = null`
// (the key keeps working; to get a secret Terraform knows, replace the key with
// `terraform apply -replace=...`). Id: `<service_account>/<key id>`.
import { ProviderError } from "../framework/diagnostics.ts";
import { defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { nameRule, seg, splitImportId } from "./common.ts";

interface ApiKey {
  id: string;
  serviceAccount: string;
  prefix: string;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** Two timestamps naming the same instant are equal (2030-01-01T00:00:00Z vs …00.000Z). */
const sameInstant = (a: unknown, b: unknown) => Date.parse(a as string) === Date.parse(b as string);

const schema = {
  description: "An API key (`mp_…`) of a Meshplane service account. The secret is only known to Terraform when Terraform created the key. Revoking or deleting the key outside Terraform makes the next plan create a new one. Needs `platform-admin`.",
  attributes: {
    service_account: { type: "string", required: true, forceNew: true, validate: nameRule("serviceAccount"), description: "The service account the key authenticates. Changing it replaces the key." },
    expires_at: {
      type: "string",
      optional: true,
      forceNew: true,
      equal: sameInstant,
      validate: (v: unknown) => (Number.isNaN(Date.parse(v as string)) || !/T.*(Z|[+-]\d\d:\d\d)$/i.test(v as string) ? `${JSON.stringify(v)} is not an RFC 3339 timestamp such as 2030-01-01T00:00:00Z.` : undefined),
      description: "Expiry, RFC 3339 (e.g. `2030-01-01T00:00:00Z`); omit for a key that does not expire. Changing it replaces the key.",
    },
    id: { type: "string", computed: true, description: "The key's id (not secret). Import id: `<service_account>/<id>`." },
    prefix: { type: "string", computed: true, description: "The first characters of the key, to recognise it in logs and the API." },
    secret: { type: "string", computed: true, sensitive: true, description: "The key itself (`mp_…`). Sensitive: never shown in plans; null for an imported key." },
    created_at: { type: "string", computed: true, description: "When the key was created (RFC 3339)." },
  },
} as const;

const keysPath = (sa: string) => `/api/v1/service-accounts/${seg(sa)}/keys`;

export const apiKeyResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_api_key",
  schema,

  async create(ctx, plan) {
    const k = await ctx.client.post<ApiKey & { key: string }>(keysPath(plan.service_account), plan.expires_at ? { expiresAt: plan.expires_at } : {}, { path: ["service_account"] });
    return { service_account: k.serviceAccount, expires_at: plan.expires_at, id: k.id, prefix: k.prefix, secret: k.key, created_at: k.createdAt };
  },

  async read(ctx, state) {
    const key = await findKey(ctx.client, state.service_account, state.id!);
    // Revoked (or gone with its account): a key that no longer authenticates is planned again.
    if (!key || key.revokedAt) return null;
    return { ...state, expires_at: key.expiresAt ?? null, prefix: key.prefix, created_at: key.createdAt };
  },

  async update(_ctx, plan, prior) {
    // Every input is forceNew: only a no-op reaches here.
    return { ...prior, ...plan, id: prior.id, prefix: prior.prefix, secret: prior.secret, created_at: prior.created_at };
  },

  async delete(ctx, state) {
    await ctx.client.delete(`${keysPath(state.service_account)}/${seg(state.id!)}`);
  },

  async import(ctx, id) {
    const [sa, keyId] = splitImportId(id, "<service_account>/<key id>", "sales-ci/0b9e…");
    const key = await findKey(ctx.client, sa, keyId);
    if (!key) return null;
    if (key.revokedAt) throw new ProviderError("Cannot import a revoked key", `Key ${keyId} of ${sa} was revoked at ${key.revokedAt}.`);
    ctx.diagnostics.warning("Imported without its secret", `The API shows a key's secret only when creating it, so secret is null for ${id}. The key keeps working; replace it (terraform apply -replace=…) to get a secret Terraform knows.`);
    return { service_account: sa, id: key.id, expires_at: key.expiresAt, prefix: key.prefix, secret: null, created_at: key.createdAt };
  },
});

/** Null when the key or its account is gone. */
async function findKey(client: MeshplaneClient, serviceAccount: string, id: string): Promise<ApiKey | null> {
  try {
    return await client.get<ApiKey>(`${keysPath(serviceAccount)}/${seg(id)}`);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}
