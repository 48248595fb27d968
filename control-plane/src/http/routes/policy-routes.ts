import { z } from "zod";
import { namespaceName } from "../../names.ts";
import type { PolicyService } from "../../services/policy-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { ifMatchRevision } from "../if-match.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const policyName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, "must be 1-63 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'")
  .describe("a policy name such as `flows-have-an-owner`");
const appliesTo = z.enum(["flow", "table"]);

const policy = z
  .object({
    name: z.string(),
    namespace: z.string().describe("the policy governs this namespace and its subtree"),
    appliesTo,
    expression: z.string(),
    severity: z.enum(["error", "warning"]),
    message: z.string(),
    revision: z.number().int(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Policy" });

const body = z.strictObject({
  namespace: namespaceName.describe("the policy governs every flow or table contract of this namespace and its subtree (`retail` covers `retail.sales`)"),
  appliesTo: appliesTo.describe("flow: `object` is the parsed flow YAML; table: `object` is the contract {namespace, dataset, table, schema: {fields}, feedType, keys, description}"),
  expression: z
    .string()
    .min(1, "must not be empty")
    .max(10_000, "must be at most 10000 characters")
    .describe("a CEL expression over `object` and `namespaceObject` ({name, ownerTeam}; `namespace` is reserved in CEL); true = the object complies"),
  severity: z.enum(["error", "warning"]).describe("error: the PUT is refused (422); warning: reported, never blocks"),
  message: z.string().min(1, "must not be empty").max(1000, "must be at most 1000 characters").describe("what the author of a failing object reads: say what to change"),
});

const byName = z.object({ name: policyName });

/** Platform policies (SPEC §12): platform admins write them; every authenticated caller may read them (they explain refusals). */
export function policyRoutes(policies: PolicyService) {
  const etag = (revision: number) => `"${revision}"`;
  return [
    route({
      method: "put", path: "/policies/{name}", operationId: "putPolicy",
      summary: "Create or update a platform policy (CEL); 400 naming the line and column when the expression does not compile; If-Match: <revision>", tags: ["policies"],
      access: { kind: "platform-admin", action: "write platform policies" },
      params: byName,
      body,
      responses: { 201: { description: "Created", schema: policy }, 200: { description: "Updated, or unchanged", schema: policy } },
      handler: async ({ params, body: input, headers }, ctx) => {
        const { policy: p, created } = await policies.put(actorOf(ctx), params.name, input, ifMatchRevision(headers["if-match"]));
        return { status: created ? 201 : 200, body: p, headers: { ETag: etag(p.revision), ...(created ? { Location: `/api/v1/policies/${p.name}` } : {}) } };
      },
    }),
    route({
      method: "get", path: "/policies", operationId: "listPolicies", summary: "List platform policies", tags: ["policies"],
      access: { kind: "authenticated" },
      query: pageQuery.extend({ namespace: namespaceName.optional().describe("only the policies declared on this namespace"), appliesTo: appliesTo.optional() }),
      responses: { 200: { description: "A page of policies, by name", schema: pageOf(policy) } },
      handler: async ({ query }) => {
        const { limit, cursor, namespace, appliesTo: target } = query;
        return { status: 200, body: await policies.list({ namespace, appliesTo: target }, { limit, cursor }) };
      },
    }),
    route({
      method: "get", path: "/policies/{name}", operationId: "getPolicy", summary: "Get a platform policy", tags: ["policies"],
      access: { kind: "authenticated" },
      params: byName,
      responses: { 200: { description: "The policy", schema: policy } },
      handler: async ({ params }) => {
        const p = await policies.get(params.name);
        return { status: 200, body: p, headers: { ETag: etag(p.revision) } };
      },
    }),
    route({
      method: "delete", path: "/policies/{name}", operationId: "deletePolicy", summary: "Delete a platform policy", tags: ["policies"],
      access: { kind: "platform-admin", action: "delete platform policies" },
      params: byName,
      responses: { 204: { description: "Deleted" } },
      handler: async ({ params }, ctx) => {
        await policies.delete(actorOf(ctx), params.name);
        return { status: 204 };
      },
    }),
  ];
}
