import { z } from "zod";
import { flowId, namespaceName } from "../../names.ts";
import type { TriggerGrantService } from "../../services/trigger-grant-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const kind = z.enum(["trigger", "subflow"]);

const grant = z
  .object({
    id: z.string(),
    upstreamNamespace: z.string(),
    upstreamFlow: z.string().nullable().describe("null = every flow of the upstream namespace (and its subtree)"),
    downstreamNamespace: z.string(),
    kinds: z.array(kind),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "TriggerGrant" });

const createBody = z.strictObject({
  upstreamNamespace: namespaceName.describe("the producer's namespace: its flows (and its subtree's) may be listened to or called"),
  upstreamFlow: flowId.optional().describe("only this flow of the upstream namespace (default: all of them)"),
  downstreamNamespace: namespaceName.describe("the consumer's namespace: its flows (and its subtree's) may listen or call"),
  kinds: z.array(kind).min(1).max(10).describe("trigger: flow triggers; subflow: core.subflow calls (duplicates are ignored)"),
});

export function triggerGrantRoutes(grants: TriggerGrantService) {
  return [
    route({
      method: "post", path: "/trigger-grants", operationId: "createTriggerGrant",
      summary: "Let flows of a downstream namespace listen to or call flows of an upstream namespace (by a maintainer of the upstream)", tags: ["trigger-grants"],
      access: { kind: "namespace", permission: "access.manage", namespace: ({ body }) => body.upstreamNamespace },
      body: createBody,
      responses: { 201: { description: "The grant", schema: grant }, 200: { description: "The same grant already existed", schema: grant } },
      handler: async ({ body }, ctx) => {
        const { grant: g, created } = await grants.create(actorOf(ctx), body);
        return { status: created ? 201 : 200, body: g, ...(created ? { headers: { Location: `/api/v1/trigger-grants/${g.id}` } } : {}) };
      },
    }),
    route({
      method: "get", path: "/trigger-grants", operationId: "listTriggerGrants", summary: "List trigger grants", tags: ["trigger-grants"],
      access: { kind: "authenticated" },
      query: pageQuery.extend({
        upstreamNamespace: namespaceName.optional(),
        upstreamFlow: flowId.optional(),
        downstreamNamespace: namespaceName.optional(),
        kind: kind.optional(),
      }),
      responses: { 200: { description: "A page of grants", schema: pageOf(grant) } },
      handler: async ({ query }) => {
        const { limit, cursor, ...filter } = query;
        const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
        return { status: 200, body: await grants.list(defined, { limit, cursor }) };
      },
    }),
    route({
      method: "get", path: "/trigger-grants/{id}", operationId: "getTriggerGrant", summary: "Get a trigger grant", tags: ["trigger-grants"],
      access: { kind: "authenticated" },
      params: z.object({ id: z.uuid() }),
      responses: { 200: { description: "The grant", schema: grant } },
      handler: async ({ params }) => ({ status: 200, body: await grants.get(params.id) }),
    }),
    route({
      method: "delete", path: "/trigger-grants/{id}", operationId: "deleteTriggerGrant",
      summary: "Revoke a trigger grant (by a maintainer of the upstream namespace); flows relying on it are refused at their next write and run", tags: ["trigger-grants"],
      access: { kind: "namespace", permission: "access.manage", namespace: ({ params }) => grants.upstreamNamespaceOf(params.id) },
      params: z.object({ id: z.uuid() }),
      responses: { 204: { description: "Revoked" } },
      handler: async ({ params }, ctx) => {
        await grants.delete(actorOf(ctx), params.id);
        return { status: 204 };
      },
    }),
  ];
}
