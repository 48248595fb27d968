import { z } from "zod";
import { flowId, labels, namespaceName } from "../../names.ts";
import { EXECUTION_STATES } from "../../orchestrator/states.ts";
import { parseFollowCursor, type ExecutionFollower } from "../../services/execution-follow.ts";
import { LEVELS, type ExecutionService } from "../../services/execution-service.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

const trigger = z
  .object({
    type: z.enum(["api", "schedule", "flow", "subflow", "restart"]),
    subject: z.string().optional().describe("who started it (api)"),
    triggerId: z.string().optional(),
    scheduledFor: z.string().optional(),
    upstream: z.array(z.object({ executionId: z.string(), namespace: z.string(), flowId: z.string(), state: z.string() })).optional(),
  })
  .meta({ id: "ExecutionTrigger" });

const summaryFields = {
  id: z.string(),
  namespace: z.string(),
  flowId: z.string(),
  flowRevision: z.number().int().describe("the revision it runs, pinned when it was created"),
  state: z.enum(EXECUTION_STATES),
  inputs: z.record(z.string(), z.unknown()),
  labels: z.record(z.string(), z.string()),
  trigger,
  parentExecutionId: z.string().optional(),
  error: z.string().optional().describe("why it failed"),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
};
const executionSummary = z.object(summaryFields).meta({ id: "ExecutionSummary" });

const taskRun = z
  .object({
    id: z.string(),
    taskId: z.string(),
    path: z.string().describe("its position in the task tree: `par/load`, `each/2/load` (2: the foreach value's index)"),
    value: z.unknown().optional().describe("the foreach value it runs for"),
    attempt: z.number().int(),
    state: z.string(),
    startedAt: z.string().optional(),
    endedAt: z.string().optional(),
    outputs: z.record(z.string(), z.unknown()),
    error: z.string().optional(),
  })
  .meta({ id: "TaskRun" });

const downstream = z
  .object({
    namespace: z.string(),
    flowId: z.string(),
    triggerId: z.string().describe("the downstream flow's flow trigger that counted this end"),
    executionId: z.string().optional().describe("the execution it started"),
    refused: z.string().optional().describe("why it started nothing: the missing grant (named, with who can create it), or inputs without defaults"),
    waiting: z.literal(true).optional().describe("counted; the trigger waits for its other upstreams (within its window)"),
  })
  .meta({ id: "ExecutionDownstream" });

const execution = z
  .object({
    ...summaryFields,
    taskRuns: z.array(taskRun),
    downstream: z.array(downstream).describe("what this execution's end did to the flow triggers listening to its flow"),
    events: z.array(z.object({ taskRunId: z.string().optional().describe("absent: the execution's own state"), from: z.string().optional(), to: z.string(), at: z.string() })),
  })
  .meta({ id: "Execution" });

const logLine = z
  .object({ time: z.string(), level: z.enum(LEVELS), taskRunId: z.string().optional(), message: z.string() })
  .meta({ id: "ExecutionLog" });

const executionId = z.object({ id: z.uuid({ error: "must be an execution id (a UUID)" }) });

const instant = (what: string) =>
  z.iso.datetime({ offset: true, error: `must be an ISO-8601 date-time with a zone, such as 2026-12-03T00:00:00Z` }).describe(what);

/** `label=k:v`, repeatable: executions carrying every one of them. */
const labelFilter = z
  .union([z.string(), z.array(z.string())])
  .transform((v, ctx) => {
    const out: Record<string, string> = {};
    for (const item of Array.isArray(v) ? v : [v]) {
      const at = item.indexOf(":");
      if (at <= 0) {
        ctx.addIssue({ code: "custom", message: `label filters are key:value (such as team:sales); got ${JSON.stringify(item)}` });
        return z.NEVER;
      }
      out[item.slice(0, at)] = item.slice(at + 1);
    }
    const checked = labels.safeParse(out);
    if (!checked.success) {
      ctx.addIssue({ code: "custom", message: checked.error.issues[0]?.message ?? "invalid label" });
      return z.NEVER;
    }
    return checked.data;
  })
  .describe("key:value; repeat it for several labels (all must match)");

/** One follow event (the data of each SSE message, by its `event:` name). */
const followEvent = z
  .discriminatedUnion("event", [
    z.object({ event: z.literal("state"), data: z.object({ state: z.enum(EXECUTION_STATES), from: z.enum(EXECUTION_STATES).optional(), at: z.string() }) }),
    z.object({
      event: z.literal("taskRun"),
      data: z.object({ taskRunId: z.string(), taskId: z.string(), path: z.string(), attempt: z.number().int(), state: z.string(), from: z.string().optional(), at: z.string() }),
    }),
    z.object({ event: z.literal("log"), data: z.object({ time: z.string(), level: z.enum(LEVELS), taskRunId: z.string().optional(), message: z.string() }) }),
    z.object({ event: z.literal("end"), data: z.object({ state: z.enum(EXECUTION_STATES) }) }),
  ])
  .meta({
    id: "ExecutionFollowEvent",
    description: "Each server-sent event: `event:` is the name, `data:` the JSON below, `id:` what Last-Event-ID resumes from. Comments (`: heartbeat`) keep the stream open.",
  });

export function executionRoutes(executions: ExecutionService, follower: ExecutionFollower) {
  return [
    // Before POST /executions/{namespace}/{flowId}, which would match these paths too
    // (a namespace named like a UUID with a flow called kill or restart cannot be triggered through it).
    route({
      method: "post", path: "/executions/{id}/kill", operationId: "killExecution",
      summary: "Kill an execution: running tasks are aborted, subflows killed too; QUEUED or CREATED ends KILLED at once", tags: ["executions"],
      access: { kind: "namespace", permission: "execution.kill", namespace: ({ params }) => executions.namespaceOf(params.id) },
      params: executionId,
      responses: { 202: { description: "Accepted: KILLING until its running tasks have stopped, then KILLED (already KILLED if nothing ran)", schema: execution } },
      handler: async ({ params }, ctx) => ({ status: 202, body: await executions.kill(actorOf(ctx), params.id) }),
    }),
    route({
      method: "post", path: "/executions/{id}/restart", operationId: "restartExecution",
      summary: "Restart a FAILED or KILLED execution: its failed and killed task runs run again (new attempts) on the same pinned revision", tags: ["executions"],
      access: { kind: "namespace", permission: "execution.restart", namespace: ({ params }) => executions.namespaceOf(params.id) },
      params: executionId,
      responses: { 202: { description: "Accepted: it runs again in the same execution (RETRYING, then RUNNING)", schema: execution } },
      handler: async ({ params }, ctx) => ({ status: 202, body: await executions.restart(actorOf(ctx), params.id) }),
    }),
    route({
      method: "post", path: "/executions/{namespace}/{flowId}", operationId: "createExecution",
      summary: "Run a flow now: its current revision is pinned, inputs are checked against its typed `inputs`", tags: ["executions"],
      access: { kind: "namespace", permission: "execution.trigger", namespace: ({ params }) => params.namespace },
      params: z.object({ namespace: namespaceName, flowId }),
      query: z.object({ wait: z.enum(["true", "false"]).transform((v) => v === "true").optional().describe("true: answer when it ends (at most 5 minutes, else 202 with it as it stands)") }),
      body: z.strictObject({
        inputs: z.record(z.string(), z.unknown()).optional().describe("by input id; types as the flow declares them"),
        labels: labels.optional(),
      }),
      responses: {
        201: { description: "Created; it runs in the background (GET its Location to follow it), or with ?wait=true it has ended", schema: execution },
        202: { description: "?wait=true and it had not ended after 5 minutes: as it stands", schema: execution },
      },
      handler: async ({ params, query, body }, ctx) => {
        const started = await executions.trigger(actorOf(ctx), { namespace: params.namespace, id: params.flowId }, body);
        const { ended, execution: e } = query.wait ? await executions.waitForEnd(started.id) : { ended: true, execution: started };
        return { status: ended ? 201 : 202, body: e, headers: { Location: `/api/v1/executions/${e.id}` } };
      },
    }),
    route({
      method: "get", path: "/executions", operationId: "listExecutions",
      summary: "List executions newest first, in a namespace subtree (without one: every namespace, platform admins only)", tags: ["executions"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ query }) => query.namespace ?? null },
      query: pageQuery.extend({
        namespace: namespaceName.optional().describe("this namespace and its subtree"),
        flowId: flowId.optional(),
        state: z.enum(EXECUTION_STATES).optional(),
        since: instant("created at or after").optional(),
        until: instant("created before").optional(),
        label: labelFilter.optional(),
      }),
      responses: { 200: { description: "A page of executions", schema: pageOf(executionSummary) } },
      handler: async ({ query }, ctx) => ({ status: 200, body: await executions.list(ctx.principal, { ...query, labels: query.label }, query) }),
    }),
    route({
      method: "get", path: "/executions/{id}", operationId: "getExecution", summary: "An execution with its task runs and its state history", tags: ["executions"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => executions.namespaceOf(params.id) },
      params: executionId,
      responses: { 200: { description: "The execution", schema: execution } },
      handler: async ({ params }) => ({ status: 200, body: await executions.get(params.id) }),
    }),
    route({
      method: "get", path: "/executions/{id}/logs", operationId: "getExecutionLogs", summary: "An execution's logs in order (?level=WARN: WARN and above)", tags: ["executions"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => executions.namespaceOf(params.id) },
      params: executionId,
      query: pageQuery.extend({ level: z.enum(LEVELS).optional(), taskRunId: z.uuid().optional() }),
      responses: { 200: { description: "A page of log lines", schema: pageOf(logLine) } },
      handler: async ({ params, query }) => ({ status: 200, body: await executions.logs(params.id, query, query) }),
    }),
    route({
      method: "get", path: "/executions/{id}/follow", operationId: "followExecution",
      summary: "Follow an execution as server-sent events (state, task runs, logs) until it ends; Last-Event-ID resumes", tags: ["executions"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => executions.namespaceOf(params.id) },
      params: executionId,
      responses: {
        200: {
          description:
            "text/event-stream of ExecutionFollowEvent; closes after the `end` event. Each replica serves at most MESHPLANE_FOLLOW_MAX_STREAMS streams (default 100): beyond, 503 with Retry-After",
          contentType: "text/event-stream",
          schema: followEvent,
        },
      },
      handler: async ({ params, headers }) => {
        const from = parseFollowCursor(headers["last-event-id"]);
        const release = follower.acquire();
        return {
          status: 200,
          stream: async (sink, signal) => {
            try {
              await follower.follow(params.id, from, sink, signal);
            } finally {
              release();
            }
          },
        };
      },
    }),
  ];
}
