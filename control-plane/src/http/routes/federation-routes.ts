import { z } from "zod";
import { issuerProblem } from "../../config.ts";
import { description, serviceAccountName } from "../../names.ts";
import type { FederationService } from "../../services/federation-service.ts";
import { pageOf, pageQuery } from "../pagination.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

/** Claims with a field of their own (iss, aud) or that change on every token (exp, nbf, iat, jti) cannot be a rule's claim. */
const RESERVED_CLAIMS = new Set(["iss", "aud", "exp", "nbf", "iat", "jti"]);

const issuer = z
  .string()
  .max(500)
  .superRefine((value, ctx) => {
    const problem = issuerProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("the issuer URL, exactly as its tokens' `iss`: https://token.actions.githubusercontent.com for GitHub Actions");

const claims = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/, "a claim name is 1-64 letters, digits, '_', '.', ':' or '-', starting with a letter or '_'"),
    z.string().min(1, "must not be empty").max(1000),
  )
  .superRefine((value, ctx) => {
    const names = Object.keys(value);
    if (names.length === 0) {
      ctx.addIssue({ code: "custom", message: "list at least one claim (e.g. repository): a rule without claims would trust every token of the issuer" });
    }
    if (names.length > 32) ctx.addIssue({ code: "custom", message: "at most 32 claims" });
    for (const name of names) {
      if (RESERVED_CLAIMS.has(name)) ctx.addIssue({ code: "custom", path: [name], message: `${name} cannot be a rule's claim (issuer and audience have their own fields; exp, nbf, iat and jti change on every token)` });
    }
  })
  .describe("claim name → the exact string the token must carry, all of them: {repository, ref?, environment?, workflow_ref?, …}");

const federation = z
  .object({
    id: z.string(),
    serviceAccount: z.string(),
    issuer: z.string(),
    audience: z.string(),
    claims: z.record(z.string(), z.string()),
    description: z.string(),
    issuerTrusted: z.boolean().describe("whether this server trusts the issuer now (MESHPLANE_OIDC_ISSUERS); a rule of an untrusted issuer never matches"),
    createdAt: z.string(),
  })
  .meta({ id: "ServiceAccountFederation" });

const byName = z.object({ name: serviceAccountName });

/** Federation rules of a service account (SPEC §12): managed by platform admins, like the API keys they replace. */
export function federationRoutes(federations: FederationService) {
  return [
    route({
      method: "post", path: "/service-accounts/{name}/federations", operationId: "createFederation", summary: "Trust OIDC tokens of an issuer (e.g. GitHub Actions) whose audience and claims match, instead of an API key", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "create federation rules" },
      params: byName,
      body: z.strictObject({
        issuer,
        audience: z.string().min(1).max(256).regex(/^\S+$/, "must not contain spaces").describe("the token's `aud` must include it: what the workflow asks its ID token for"),
        claims,
        description: description.optional(),
      }),
      responses: { 201: { description: "The rule", schema: federation } },
      handler: async ({ params, body }, ctx) => ({ status: 201, body: await federations.create(actorOf(ctx), params.name, body) }),
    }),
    route({
      method: "get", path: "/service-accounts/{name}/federations", operationId: "listFederations", summary: "List a service account's federation rules", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "list federation rules" },
      params: byName,
      query: pageQuery,
      responses: { 200: { description: "A page of rules", schema: pageOf(federation) } },
      handler: async ({ params, query }) => ({ status: 200, body: await federations.list(params.name, query) }),
    }),
    route({
      method: "get", path: "/service-accounts/{name}/federations/{id}", operationId: "getFederation", summary: "Get one federation rule", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "read federation rules" },
      params: byName.extend({ id: z.uuid() }),
      responses: { 200: { description: "The rule", schema: federation } },
      handler: async ({ params }) => ({ status: 200, body: await federations.get(params.name, params.id) }),
    }),
    route({
      method: "delete", path: "/service-accounts/{name}/federations/{id}", operationId: "deleteFederation", summary: "Delete a federation rule (and revoke the access tokens exchanged through it)", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "delete federation rules" },
      params: byName.extend({ id: z.uuid() }),
      responses: { 204: { description: "Deleted" } },
      handler: async ({ params }, ctx) => {
        await federations.delete(actorOf(ctx), params.name, params.id);
        return { status: 204 };
      },
    }),
  ];
}
