import { z } from "zod";
import { serviceAccountName } from "../../names.ts";
import type { TokenExchangeService } from "../../services/token-exchange-service.ts";
import { route } from "../route.ts";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

/**
 * The two ways in: an API key, or an RFC 8693 token exchange of an OIDC ID token (e.g.
 * GitHub Actions') matching a federation rule. One object rather than a zod union, so a
 * mistake is reported against the fields of the shape the caller meant (a union answers
 * only "Invalid input").
 */
const tokenRequest = z
  .strictObject({
    api_key: z.string().min(1).optional().describe("an API key, mp_…"),
    grant_type: z.literal(TOKEN_EXCHANGE_GRANT).optional().describe(`for a token exchange: ${TOKEN_EXCHANGE_GRANT}`),
    subject_token: z.string().min(1).max(16_384).optional().describe("the OIDC ID token, e.g. GitHub Actions' (permissions: id-token: write)"),
    subject_token_type: z.enum(["urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token"]).optional(),
    service_account: serviceAccountName.optional().describe("required when the token matches the rules of several service accounts"),
  })
  .superRefine((b, ctx) => {
    const exchangeFields = (["grant_type", "subject_token", "subject_token_type", "service_account"] as const).filter((f) => b[f] !== undefined);
    if (b.api_key !== undefined) {
      for (const f of exchangeFields) ctx.addIssue({ code: "custom", path: [f], message: "not with api_key: send either an API key or a token exchange" });
      return;
    }
    if (exchangeFields.length === 0) {
      ctx.addIssue({ code: "custom", path: [], message: `send {api_key} or a token exchange {grant_type: "${TOKEN_EXCHANGE_GRANT}", subject_token, subject_token_type}` });
      return;
    }
    for (const f of ["grant_type", "subject_token", "subject_token_type"] as const) {
      if (b[f] === undefined) ctx.addIssue({ code: "custom", path: [f], message: "required for a token exchange" });
    }
  });

const whoami = z
  .object({
    subject: z.string(),
    kind: z.literal("service-account"),
    team: z.string(),
    platformAdmin: z.boolean(),
    bindings: z.array(z.object({ id: z.string(), role: z.string(), namespace: z.string().nullable(), via: z.enum(["team", "service-account"]) })),
  })
  .meta({ id: "WhoAmI" });

/** Token exchange and whoami: the identity side of the API. */
export function identityRoutes(tokens: TokenExchangeService) {
  return [
    route({
      method: "post", path: "/auth/token", operationId: "issueToken", summary: "Exchange an API key, or an OIDC ID token matching a federation rule (RFC 8693), for a short-lived access token (JWT)", tags: ["auth"],
      access: { kind: "public" },
      body: tokenRequest,
      bodyTypes: ["application/json", "application/x-www-form-urlencoded"],
      responses: {
        200: {
          description: "An access token",
          schema: z.object({
            access_token: z.string(),
            token_type: z.literal("Bearer"),
            expires_in: z.number().int(),
            issued_token_type: z.literal("urn:ietf:params:oauth:token-type:access_token").optional().describe("on token exchanges (RFC 8693)"),
          }),
        },
      },
      handler: async ({ body }, ctx) => ({
        status: 200,
        headers: { "Cache-Control": "no-store" },
        body:
          body.api_key !== undefined
            ? await tokens.exchangeApiKey(body.api_key)
            : await tokens.exchangeOidc({ subjectToken: body.subject_token!, serviceAccount: body.service_account }, ctx.requestId),
      }),
    }),
    route({
      method: "get", path: "/whoami", operationId: "whoami", summary: "Who the caller is and which roles it holds", tags: ["auth"],
      access: { kind: "authenticated" },
      responses: { 200: { description: "The caller", schema: whoami } },
      handler: async (_input, ctx) => {
        const p = ctx.principal;
        return { status: 200, body: { subject: p.subject, kind: p.kind, team: p.team, platformAdmin: p.platformAdmin, bindings: p.bindings } };
      },
    }),
  ];
}
