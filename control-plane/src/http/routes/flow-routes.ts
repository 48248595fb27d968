import { z } from "zod";
import { flowId, namespaceName, teamName } from "../../names.ts";
import type { FlowService } from "../../services/flow-service.ts";
import type { FlowValidationService } from "../../services/flow-validation-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { ifMatchRevision, ifNoneMatchAbsent } from "../if-match.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const flow = z
  .object({
    namespace: z.string(),
    id: z.string(),
    revision: z.number().int(),
    source: z.string().describe("the YAML exactly as registered"),
    labels: z.record(z.string(), z.string()),
    disabled: z.boolean(),
    description: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deleted: z.literal(true).optional().describe("present (true) only on a deleted flow or revision"),
    warnings: z
      .array(z.object({ kind: z.literal("policy"), policy: z.string(), message: z.string() }))
      .optional()
      .describe("PUT only, when there are some: the warning policies the flow does not satisfy (they never block)"),
  })
  .meta({ id: "Flow" });

const revisionSummary = z
  .object({ revision: z.number().int(), deleted: z.boolean(), createdBy: z.string(), createdAt: z.string() })
  .meta({ id: "FlowRevisionSummary" });

const flowKey = z.object({ namespace: z.string(), id: z.string() });
const dependencies = z
  .object({
    nodes: z.array(
      flowKey.extend({
        registered: z.boolean().optional().describe("false: referenced but not (or no longer) registered; absent on a hidden node"),
        hidden: z.literal(true).optional().describe("in a namespace the caller cannot read: the end of an edge of a flow it can read; the walk does not go past it"),
      }),
    ),
    edges: z.array(z.object({ from: flowKey.describe("the upstream: listened to or called"), to: flowKey.describe("the flow that triggers on or calls it"), kind: z.enum(["trigger", "subflow"]) })),
  })
  .meta({ id: "FlowDependencies" });

const problem = z
  .object({
    kind: z.enum(["syntax", "schema", "permission", "reference", "cycle", "policy"]),
    message: z.string(),
    pointer: z.string().optional(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    severity: z.enum(["error", "warning"]),
  })
  .meta({ id: "FlowProblem" });

/** The YAML itself (application/x-yaml) or, as JSON, `{source}`. */
const sourceBody = z.union([z.string().describe("the flow YAML"), z.strictObject({ source: z.string().describe("the flow YAML") })]);
const SOURCE_TYPES = ["application/x-yaml", "application/json"] as const;
/** Bounded like everything else: a plan names at most this many objects of a kind that one flow can mention. */
const MAX_PLANNED = 1000;
const kinds = z.array(z.enum(["trigger", "subflow"])).min(1).max(2);
const planned = z
  .strictObject({
    namespaces: z.array(z.strictObject({ name: namespaceName.optional(), ownerTeam: teamName.optional() })).max(MAX_PLANNED).optional(),
    triggerGrants: z
      .array(z.strictObject({ upstreamNamespace: namespaceName.optional(), upstreamFlow: flowId.nullable().optional().describe("null: every flow of the namespace"), downstreamNamespace: namespaceName.optional(), kinds: kinds.optional() }))
      .max(MAX_PLANNED)
      .optional(),
    flows: z.array(z.strictObject({ namespace: namespaceName, id: flowId })).max(MAX_PLANNED).optional(),
  })
  .describe("objects the caller's plan creates before this flow (terraform plan): counted as existing; a field left out is known only after apply, and a verdict depending on it is a warning")
  .meta({ id: "PlannedObjects" });
/** validate also takes, as JSON, what the caller's plan creates: `{source, planned}`. */
const validateBody = z.union([z.string().describe("the flow YAML"), z.strictObject({ source: z.string().describe("the flow YAML"), planned: planned.optional() })]);
/** The flow parser checks the YAML's text itself, so validate reports it as a problem with its line. */
const SELF_CHECKED = ["", "/source"];
const sourceOf = (body: z.infer<typeof sourceBody> | z.infer<typeof validateBody>) => (typeof body === "string" ? body : body.source);

const key = z.object({ namespace: namespaceName, id: flowId });
const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const revisionNumber = z.coerce.number().int().min(1).max(999_999_999);

export function flowRoutes(flows: FlowService, validation: FlowValidationService) {
  const etag = (revision: number) => `"${revision}"`;
  return [
    route({
      method: "put", path: "/flows/{namespace}/{id}", operationId: "putFlow",
      summary: "Create or update a flow from its YAML (idempotent; unchanged source keeps the revision; If-Match: <revision> for optimistic concurrency; If-None-Match: * to create only — 409 if it exists)", tags: ["flows"],
      access: { kind: "namespace", permission: "flow.write", namespace: ({ params }) => params.namespace },
      params: key,
      body: sourceBody,
      bodyTypes: SOURCE_TYPES,
      selfCheckedText: SELF_CHECKED,
      responses: { 201: { description: "Created (or re-created after a delete)", schema: flow }, 200: { description: "Updated, or unchanged", schema: flow } },
      handler: async ({ params, body, headers }, ctx) => {
        const { created, flow: f } = await flows.put(actorOf(ctx), ctx.principal, params, sourceOf(body), ifNoneMatchAbsent(headers) ? "absent" : ifMatchRevision(headers["if-match"]));
        return {
          status: created ? 201 : 200,
          body: f,
          headers: { ETag: etag(f.revision), ...(created ? { Location: `/api/v1/flows/${f.namespace}/${f.id}` } : {}) },
        };
      },
    }),
    route({
      method: "get", path: "/flows/{namespace}/{id}", operationId: "getFlow", summary: "Get a flow (its current revision, or ?revision=n)", tags: ["flows"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: key,
      query: z.object({
        revision: revisionNumber.optional().describe("an earlier revision"),
        deleted: bool.optional().describe("true: answer a deleted flow too (with deleted: true) instead of 404"),
      }),
      responses: { 200: { description: "The flow", schema: flow } },
      handler: async ({ params, query }) => {
        const f = await flows.get(params, { revision: query.revision, includeDeleted: query.deleted });
        return { status: 200, body: f, headers: { ETag: etag(f.revision) } };
      },
    }),
    route({
      method: "get", path: "/flows/{namespace}", operationId: "listFlows", summary: "List the live flows of a namespace (or its subtree)", tags: ["flows"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: z.object({ namespace: namespaceName }),
      query: pageQuery.extend({ subtree: bool.optional().describe("true: include the flows of child namespaces") }),
      responses: { 200: { description: "A page of flows, ordered by namespace then id", schema: pageOf(flow) } },
      handler: async ({ params, query }) => ({ status: 200, body: await flows.list(params.namespace, query.subtree ?? false, query) }),
    }),
    route({
      method: "get", path: "/flows/{namespace}/{id}/revisions", operationId: "listFlowRevisions", summary: "List a flow's revisions, oldest first (deletions included)", tags: ["flows"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: key,
      query: pageQuery,
      responses: { 200: { description: "A page of revisions", schema: pageOf(revisionSummary) } },
      handler: async ({ params, query }) => ({ status: 200, body: await flows.revisions(params, query) }),
    }),
    route({
      method: "get", path: "/flows/{namespace}/{id}/revisions/{revision}", operationId: "getFlowRevision", summary: "Get one revision of a flow", tags: ["flows"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: key.extend({ revision: revisionNumber }),
      responses: { 200: { description: "The flow at that revision", schema: flow.extend({ createdBy: z.string() }) } },
      handler: async ({ params }) => ({ status: 200, body: await flows.revision(params, params.revision) }),
    }),
    route({
      method: "delete", path: "/flows/{namespace}/{id}", operationId: "deleteFlow",
      summary: "Delete a flow (soft: its history stays); 409 listing the flows that trigger on or call it, unless ?force=true by a maintainer", tags: ["flows"],
      access: { kind: "namespace", permission: "flow.write", namespace: ({ params }) => params.namespace },
      params: key,
      query: z.object({ force: bool.optional().describe("delete even if other flows depend on it (needs access.manage)") }),
      responses: { 204: { description: "Deleted" } },
      handler: async ({ params, query, headers }, ctx) => {
        await flows.delete(actorOf(ctx), ctx.principal, params, { force: query.force ?? false, expected: ifMatchRevision(headers["if-match"]) });
        return { status: 204 };
      },
    }),
    route({
      method: "get", path: "/flows/{namespace}/{id}/dependencies", operationId: "getFlowDependencies",
      summary: "The flows this flow listens to or calls (up) or that listen to or call it (down), directly or transitively", tags: ["flows"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: key,
      query: z.object({ direction: z.enum(["up", "down"]).default("up"), recursive: bool.optional().describe("follow the graph transitively (cycle-safe)") }),
      responses: { 200: { description: "The nodes (the flow itself included) and edges", schema: dependencies } },
      handler: async ({ params, query }, ctx) => ({ status: 200, body: await flows.dependencies(ctx.principal, params, query.direction, query.recursive ?? false) }),
    }),
    route({
      method: "post", path: "/flows/validate", operationId: "validateFlow",
      summary: "Check a flow YAML as PUT would (syntax, schema, permission, cross-team grants, references, cycles) without saving it; as JSON, with the objects the caller's plan creates first (`planned`)", tags: ["flows"],
      access: { kind: "authenticated" },
      body: validateBody,
      bodyTypes: SOURCE_TYPES,
      selfCheckedText: SELF_CHECKED,
      responses: { 200: { description: "The report; valid is false when any problem is an error", schema: z.object({ valid: z.boolean(), problems: z.array(problem) }).meta({ id: "FlowValidation" }) } },
      handler: async ({ body }, ctx) => ({ status: 200, body: await validation.validate(ctx.principal, sourceOf(body), typeof body === "string" ? undefined : body.planned) }),
    }),
  ];
}
