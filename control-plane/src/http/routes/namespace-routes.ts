import { z } from "zod";
import { description, labels, namespaceName, teamName } from "../../names.ts";
import { PERMISSIONS, ROLES } from "../../authz/roles.ts";
import type { NamespaceAccessService } from "../../services/namespace-access-service.ts";
import type { NamespaceService } from "../../services/namespace-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const namespace = z
  .object({
    name: z.string(),
    ownerTeam: z.string(),
    description: z.string(),
    labels: z.record(z.string(), z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Namespace" });
const byName = z.object({ name: namespaceName });

const role = z.enum(ROLES);
const access = z
  .object({
    namespace: z.string(),
    entries: z.array(
      z.object({
        subject: z.object({ kind: z.enum(["team", "service-account"]), name: z.string() }).describe("a team's entries apply to each of its service accounts"),
        role: role.describe("the strongest role held here (roles nest: its permissions include the weaker ones')"),
        permissions: z.array(z.enum(PERMISSIONS)),
        sources: z
          .array(
            z.object({
              kind: z.enum(["ownership", "binding"]).describe("ownership: the team owns this namespace or an ancestor (maintainer); binding: a role binding"),
              role,
              namespace: z.string().nullable().describe("where the ownership or binding is (an ancestor's acts on its subtree); null: organisation-wide (platform-admin)"),
              bindingId: z.string().optional(),
            }),
          )
          .describe("every reason the subject holds a role here, strongest first"),
      }),
    ),
  })
  .meta({ id: "NamespaceAccess" });

export function namespaceRoutes(namespaces: NamespaceService, accessService: NamespaceAccessService) {
  return [
    route({
      method: "post", path: "/namespaces", operationId: "createNamespace", summary: "Create a namespace owned by a team", tags: ["namespaces"],
      access: { kind: "platform-admin", action: "create namespaces" },
      body: z.strictObject({ name: namespaceName, ownerTeam: teamName, description: description.optional(), labels: labels.optional() }),
      responses: { 201: { description: "The namespace", schema: namespace } },
      handler: async ({ body }, ctx) => ({ status: 201, body: await namespaces.create(actorOf(ctx), body) }),
    }),
    route({
      method: "get", path: "/namespaces", operationId: "listNamespaces", summary: "List namespaces", tags: ["namespaces"],
      access: { kind: "authenticated" },
      query: pageQuery.extend({ prefix: namespaceName.optional().describe("only this namespace and its subtree"), ownerTeam: teamName.optional() }),
      responses: { 200: { description: "A page of namespaces", schema: pageOf(namespace) } },
      handler: async ({ query }) => ({
        status: 200,
        body: await namespaces.list({ ...(query.prefix ? { prefix: query.prefix } : {}), ...(query.ownerTeam ? { ownerTeam: query.ownerTeam } : {}) }, query),
      }),
    }),
    route({
      method: "get", path: "/namespaces/{name}", operationId: "getNamespace", summary: "Get a namespace", tags: ["namespaces"],
      access: { kind: "authenticated" },
      params: byName,
      responses: { 200: { description: "The namespace", schema: namespace } },
      handler: async ({ params }) => ({ status: 200, body: await namespaces.get(params.name) }),
    }),
    route({
      method: "get", path: "/namespaces/{name}/access", operationId: "getNamespaceAccess",
      summary: "Who can do what in a namespace: each team and service account with a role there, its effective role and permissions, and why (ownership, bindings on it or an ancestor)", tags: ["namespaces"],
      access: { kind: "authenticated" },
      params: byName,
      responses: { 200: { description: "Strongest role first", schema: access } },
      handler: async ({ params }) => ({ status: 200, body: await accessService.access(params.name) }),
    }),
    route({
      method: "patch", path: "/namespaces/{name}", operationId: "updateNamespace", summary: "Update a namespace (owner, description, labels)", tags: ["namespaces"],
      access: { kind: "platform-admin", action: "update namespaces" },
      params: byName,
      body: z.strictObject({ ownerTeam: teamName.optional(), description: description.optional(), labels: labels.optional() }),
      responses: { 200: { description: "The namespace", schema: namespace } },
      handler: async ({ params, body }, ctx) => ({ status: 200, body: await namespaces.update(actorOf(ctx), params.name, body) }),
    }),
    route({
      method: "delete", path: "/namespaces/{name}", operationId: "deleteNamespace", summary: "Delete a namespace with what its subtree still holds: bindings, grants, soft-deleted flows and tables (409 while it has child namespaces or live flows or tables)", tags: ["namespaces"],
      access: { kind: "platform-admin", action: "delete namespaces" },
      params: byName,
      responses: { 204: { description: "Deleted" } },
      handler: async ({ params }, ctx) => {
        await namespaces.delete(actorOf(ctx), params.name);
        return { status: 204 };
      },
    }),
  ];
}
