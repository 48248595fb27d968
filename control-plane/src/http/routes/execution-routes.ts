import { z } from "zod";
import { flowId, labels, namespaceName } from "../../names.ts";
import { EXECUTION_STATES } from "../../orchestrator/states.ts";
import { LEVELS, type ExecutionService } from "../../services/execution-service.ts";
import { pageOf, pageQuery } from "../pagination.ts";
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

export function executionRoutes(executions: ExecutionService) {
  return [
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
      }),
      responses: { 200: { description: "A page of executions", schema: pageOf(executionSummary) } },
      handler: async ({ query }, ctx) => ({ status: 200, body: await executions.list(ctx.principal, query, query) }),
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
  ];
}
