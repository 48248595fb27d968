import { z } from "zod";
import { ROLES } from "../../authz/roles.ts";
import { namespaceName, serviceAccountName, teamName } from "../../names.ts";
import type { RoleBindingService } from "../../services/role-binding-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const binding = z
  .object({
    id: z.string(),
    namespace: z.string().nullable(),
    role: z.enum(ROLES),
    team: z.string().nullable(),
    serviceAccount: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "RoleBinding" });

const createBody = z
  .strictObject({
    namespace: namespaceName.optional().describe("required for every role but platform-admin, which is global"),
    role: z.enum(ROLES),
    team: teamName.optional(),
    serviceAccount: serviceAccountName.optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.team === undefined) === (b.serviceAccount === undefined)) {
      ctx.addIssue({ code: "custom", path: ["team"], message: "give exactly one of team or serviceAccount" });
    }
    if (b.role === "platform-admin" && b.namespace !== undefined) {
      ctx.addIssue({ code: "custom", path: ["namespace"], message: "platform-admin is global: omit namespace" });
    }
    if (b.role !== "platform-admin" && b.namespace === undefined) {
      ctx.addIssue({ code: "custom", path: ["namespace"], message: `role ${b.role} needs a namespace` });
    }
  });

export function roleBindingRoutes(bindings: RoleBindingService) {
  return [
    route({
      method: "post", path: "/role-bindings", operationId: "createRoleBinding", summary: "Bind a role on a namespace to a team or a service account", tags: ["role-bindings"],
      access: { kind: "namespace", permission: "access.manage", namespace: ({ body }) => body.namespace ?? null },
      body: createBody,
      responses: { 201: { description: "The binding", schema: binding }, 200: { description: "The same binding already existed", schema: binding } },
      handler: async ({ body }, ctx) => {
        const { binding: b, created } = await bindings.create(actorOf(ctx), body);
        return { status: created ? 201 : 200, body: b };
      },
    }),
    route({
      method: "get", path: "/role-bindings", operationId: "listRoleBindings", summary: "List role bindings", tags: ["role-bindings"],
      access: { kind: "authenticated" },
      query: pageQuery.extend({ namespace: namespaceName.optional(), team: teamName.optional(), serviceAccount: serviceAccountName.optional() }),
      responses: { 200: { description: "A page of bindings", schema: pageOf(binding) } },
      handler: async ({ query }) => {
        const { limit, cursor, ...filter } = query;
        return { status: 200, body: await bindings.list(stripUndefined(filter), { limit, cursor }) };
      },
    }),
    route({
      method: "get", path: "/role-bindings/{id}", operationId: "getRoleBinding", summary: "Get a role binding", tags: ["role-bindings"],
      access: { kind: "authenticated" },
      params: z.object({ id: z.uuid() }),
      responses: { 200: { description: "The binding", schema: binding } },
      handler: async ({ params }) => ({ status: 200, body: await bindings.get(params.id) }),
    }),
    route({
      method: "delete", path: "/role-bindings/{id}", operationId: "deleteRoleBinding", summary: "Remove a role binding (409 for your own platform-admin binding, or the last one of a usable platform admin)", tags: ["role-bindings"],
      access: { kind: "namespace", permission: "access.manage", namespace: ({ params }) => bindings.namespaceOf(params.id) },
      params: z.object({ id: z.uuid() }),
      responses: { 204: { description: "Removed" } },
      handler: async ({ params }, ctx) => {
        await bindings.delete(actorOf(ctx), params.id);
        return { status: 204 };
      },
    }),
  ];
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
