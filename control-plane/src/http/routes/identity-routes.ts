import { z } from "zod";
import type { Authenticator } from "../../auth/authenticator.ts";
import type { JwtIssuer } from "../../auth/jwt.ts";
import { route } from "../route.ts";

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
export function identityRoutes(authenticator: Authenticator, jwt: JwtIssuer) {
  return [
    route({
      method: "post", path: "/auth/token", operationId: "issueToken", summary: "Exchange an API key for a short-lived access token (JWT)", tags: ["auth"],
      access: { kind: "public" },
      body: z.strictObject({ api_key: z.string().min(1).describe("an API key, mp_…") }),
      responses: {
        200: {
          description: "An access token",
          schema: z.object({ access_token: z.string(), token_type: z.literal("Bearer"), expires_in: z.number().int() }),
        },
      },
      handler: async ({ body }) => {
        const principal = await authenticator.fromApiKey(body.api_key);
        return {
          status: 200,
          headers: { "Cache-Control": "no-store" },
          body: { access_token: jwt.issue({ sub: principal.serviceAccountId, kid: principal.apiKeyId }), token_type: "Bearer", expires_in: jwt.ttlSeconds },
        };
      },
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
