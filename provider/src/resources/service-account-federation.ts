// meshplane_service_account_federation: a service account trusts OIDC tokens of an issuer
// (GitHub Actions) for an audience, when every listed claim matches exactly (SPEC §12),
// instead of holding an API key. A rule cannot change in place (its id is what access
// tokens exchanged through it carry): every input replaces it. Id:
// `<service_account>/<rule id>`.
import { defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { nameRule, seg, splitImportId } from "./common.ts";

interface ApiFederation {
  id: string;
  serviceAccount: string;
  issuer: string;
  audience: string;
  claims: Record<string, string>;
  description: string;
  issuerTrusted: boolean;
  createdAt: string;
}

const RESERVED = new Set(["iss", "aud", "exp", "nbf", "iat", "jti"]);

const schema = {
  description:
    "A federation rule of a Meshplane service account: GitHub Actions jobs (or another trusted OIDC issuer's workloads) whose ID token has this audience and carries every listed claim exactly authenticate as the account, with no stored secret. Deleting the rule revokes the access tokens exchanged through it. Needs `platform-admin`.",
  attributes: {
    service_account: { type: "string", required: true, forceNew: true, validate: nameRule("serviceAccount"), description: "The service account the matching tokens act as. Changing it replaces the rule." },
    issuer: {
      type: "string",
      required: true,
      forceNew: true,
      validate: (v: unknown) => {
        try {
          const u = new URL(v as string);
          return u.protocol === "https:" || (u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) ? undefined : `${JSON.stringify(v)} must be an https:// URL (http only on loopback).`;
        } catch {
          return `${JSON.stringify(v)} is not a URL such as https://token.actions.githubusercontent.com.`;
        }
      },
      description: "The issuer, exactly as its tokens' `iss`: `https://token.actions.githubusercontent.com` for GitHub Actions. The control plane must trust it (MESHPLANE_OIDC_ISSUERS).",
    },
    audience: { type: "string", required: true, forceNew: true, description: "The audience the token must be issued for: the provider's `oidc_audience` in the workflow (by default the control plane's URL)." },
    claims: {
      type: ["map", "string"],
      required: true,
      forceNew: true,
      validate: (v: unknown) => {
        const names = Object.keys((v as Record<string, string>) ?? {});
        if (names.length === 0) return "List at least one claim (e.g. repository): a rule without claims would trust every token of the issuer.";
        const reserved = names.filter((n) => RESERVED.has(n));
        return reserved.length ? `${reserved.join(", ")} cannot be a rule's claim (issuer and audience have their own attributes; exp, nbf, iat and jti change on every token).` : undefined;
      },
      description:
        "Claim name → the exact value the token must carry, all of them, e.g. `{ repository = \"acme/retail-sales\", ref = \"refs/heads/main\" }`; `environment`, `workflow_ref`, `job_workflow_ref`, `repository_owner`… as GitHub documents them.",
    },
    description: { type: "string", optional: true, forceNew: true, computed: true, default: "", description: "Free text describing the rule. Defaults to empty. Changing it replaces the rule." },
    id: { type: "string", computed: true, description: "The rule's id. Import id: `<service_account>/<id>`." },
    issuer_trusted: { type: "bool", computed: true, description: "Whether the control plane trusted the issuer when last read (MESHPLANE_OIDC_ISSUERS); a rule of an untrusted issuer never matches." },
    created_at: { type: "string", computed: true, description: "When the rule was created (RFC 3339)." },
  },
} as const;

const rulesPath = (sa: string) => `/api/v1/service-accounts/${seg(sa)}/federations`;

const fromApi = (f: ApiFederation) => ({
  service_account: f.serviceAccount,
  issuer: f.issuer,
  audience: f.audience,
  claims: { ...f.claims },
  description: f.description,
  id: f.id,
  issuer_trusted: f.issuerTrusted,
  created_at: f.createdAt,
});

export const serviceAccountFederationResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_service_account_federation",
  schema,

  async create(ctx, plan) {
    const body = { issuer: plan.issuer, audience: plan.audience, claims: plan.claims ?? {}, description: plan.description ?? "" };
    const f = await ctx.client.post<ApiFederation>(rulesPath(plan.service_account), body, { path: ["service_account"] });
    if (!f.issuerTrusted) {
      ctx.diagnostics.warning(
        "Issuer not trusted by the control plane",
        `The rule is stored, but ${f.issuer} is not in the control plane's MESHPLANE_OIDC_ISSUERS: no token of it is exchanged until its operators add it.`,
      );
    }
    return fromApi(f);
  },

  async read(ctx, state) {
    // Gone with its account, or deleted out of band: planned again.
    const f = await ctx.client.getOrNull<ApiFederation>(`${rulesPath(state.service_account)}/${seg(state.id!)}`);
    return f ? fromApi(f) : null;
  },

  async update(_ctx, plan, prior) {
    // Every input is forceNew: only a no-op reaches here.
    return { ...prior, ...plan, id: prior.id, issuer_trusted: prior.issuer_trusted, created_at: prior.created_at };
  },

  async delete(ctx, state) {
    await ctx.client.delete(`${rulesPath(state.service_account)}/${seg(state.id!)}`);
  },

  async import(ctx, id) {
    const [sa, ruleId] = splitImportId(id, "<service_account>/<rule id>", "sales-ci/0b9e…");
    const f = await ctx.client.getOrNull<ApiFederation>(`${rulesPath(sa)}/${seg(ruleId)}`);
    return f ? fromApi(f) : null;
  },
});
