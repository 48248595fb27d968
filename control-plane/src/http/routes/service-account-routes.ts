import { z } from "zod";
import { description, serviceAccountName, teamName } from "../../names.ts";
import type { ServiceAccountService } from "../../services/service-account-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const account = z
  .object({ name: z.string(), team: z.string(), description: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: "ServiceAccount" });
const apiKey = z
  .object({
    id: z.string(),
    serviceAccount: z.string(),
    prefix: z.string().describe("the first characters of the key, to recognise it"),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "ApiKey" });
const byName = z.object({ name: serviceAccountName });

export function serviceAccountRoutes(accounts: ServiceAccountService) {
  return [
    route({
      method: "post", path: "/service-accounts", operationId: "createServiceAccount", summary: "Create a service account", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "create service accounts" },
      body: z.strictObject({ name: serviceAccountName, team: teamName, description: description.optional() }),
      responses: { 201: { description: "The service account", schema: account } },
      handler: async ({ body }, ctx) => ({ status: 201, body: await accounts.create(actorOf(ctx), body) }),
    }),
    route({
      method: "get", path: "/service-accounts", operationId: "listServiceAccounts", summary: "List service accounts", tags: ["service-accounts"],
      access: { kind: "authenticated" },
      query: pageQuery.extend({ team: teamName.optional() }),
      responses: { 200: { description: "A page of service accounts", schema: pageOf(account) } },
      handler: async ({ query }) => ({ status: 200, body: await accounts.list({ ...(query.team ? { team: query.team } : {}) }, query) }),
    }),
    route({
      method: "get", path: "/service-accounts/{name}", operationId: "getServiceAccount", summary: "Get a service account", tags: ["service-accounts"],
      access: { kind: "authenticated" },
      params: byName,
      responses: { 200: { description: "The service account", schema: account } },
      handler: async ({ params }) => ({ status: 200, body: await accounts.get(params.name) }),
    }),
    route({
      method: "patch", path: "/service-accounts/{name}", operationId: "updateServiceAccount", summary: "Update a service account", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "update service accounts" },
      params: byName,
      body: z.strictObject({ description: description.optional() }),
      responses: { 200: { description: "The service account", schema: account } },
      handler: async ({ params, body }, ctx) => ({ status: 200, body: await accounts.update(actorOf(ctx), params.name, body) }),
    }),
    route({
      method: "delete", path: "/service-accounts/{name}", operationId: "deleteServiceAccount", summary: "Delete a service account and its keys (409 if it is the last usable platform admin)", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "delete service accounts" },
      params: byName,
      responses: { 204: { description: "Deleted" } },
      handler: async ({ params }, ctx) => {
        await accounts.delete(actorOf(ctx), params.name);
        return { status: 204 };
      },
    }),
    route({
      method: "post", path: "/service-accounts/{name}/keys", operationId: "createApiKey", summary: "Create an API key (shown only in this answer)", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "create API keys" },
      params: byName,
      body: z.strictObject({ expiresAt: z.iso.datetime({ offset: true }).optional().describe("RFC 3339; omit for no expiry") }),
      responses: { 201: { description: "The key, with its secret `key`", schema: apiKey.extend({ key: z.string() }) } },
      handler: async ({ params, body }, ctx) => ({
        status: 201,
        body: await accounts.createKey(actorOf(ctx), params.name, { expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined }),
      }),
    }),
    route({
      method: "get", path: "/service-accounts/{name}/keys", operationId: "listApiKeys", summary: "List a service account's keys (never their secrets)", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "list API keys" },
      params: byName,
      query: pageQuery,
      responses: { 200: { description: "A page of keys", schema: pageOf(apiKey) } },
      handler: async ({ params, query }) => ({ status: 200, body: await accounts.listKeys(params.name, query) }),
    }),
    route({
      method: "get", path: "/service-accounts/{name}/keys/{id}", operationId: "getApiKey", summary: "Get one API key (never its secret)", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "read API keys" },
      params: byName.extend({ id: z.uuid() }),
      responses: { 200: { description: "The key", schema: apiKey } },
      handler: async ({ params }) => ({ status: 200, body: await accounts.getKey(params.name, params.id) }),
    }),
    route({
      method: "delete", path: "/service-accounts/{name}/keys/{id}", operationId: "revokeApiKey", summary: "Revoke an API key (and the access tokens issued for it); 409 if it is the last usable key of the last platform admin", tags: ["service-accounts"],
      access: { kind: "platform-admin", action: "revoke API keys" },
      params: byName.extend({ id: z.uuid() }),
      responses: { 200: { description: "The revoked key", schema: apiKey } },
      handler: async ({ params }, ctx) => ({ status: 200, body: await accounts.revokeKey(actorOf(ctx), params.name, params.id) }),
    }),
  ];
}
