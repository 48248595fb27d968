import { z } from "zod";
import { namespaceName } from "../../names.ts";
import type { AuditService } from "../../services/audit-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { route } from "../route.ts";

const event = z
  .object({
    id: z.string(),
    at: z.string(),
    subject: z.string(),
    subjectKind: z.string(),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    namespace: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
  })
  .meta({ id: "AuditEvent" });

export function auditRoutes(audit: AuditService) {
  return [
    route({
      method: "get", path: "/audit", operationId: "listAuditEvents",
      summary: "Audit events, newest first: all of them for platform admins, a namespace subtree's for its maintainers", tags: ["audit"],
      access: { kind: "namespace", permission: "audit.read", namespace: ({ query }) => query.namespace ?? null },
      query: pageQuery.extend({
        namespace: namespaceName.optional().describe("this namespace and its subtree; required unless you are a platform admin"),
        resourceType: z.string().max(100).optional(),
        resourceId: z.string().max(300).optional(),
        subject: z.string().max(100).optional(),
      }),
      responses: { 200: { description: "A page of events", schema: pageOf(event) } },
      handler: async ({ query }, ctx) => ({ status: 200, body: await audit.list(ctx.principal, query) }),
    }),
  ];
}
