import { randomUUID } from "node:crypto";
import type { Principal } from "../auth/principal.ts";
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from "../errors.ts";
import { parseFlowSource } from "../flows/flow-parser.ts";
import { cursorKinds, decodeCursor, encodeCursor, type Page, type PageQuery } from "../pagination.ts";
import { checkInputs } from "../orchestrator/inputs.ts";
import { Admission } from "./admission.ts";
import type { Executor } from "../orchestrator/executor.ts";
import { isTerminal, type ExecutionState } from "../orchestrator/states.ts";
import type { ExecutionRepository, ExecutionRow, TaskRunRow } from "../repositories/execution-repository.ts";
import type { FlowRepository } from "../repositories/flow-repository.ts";
import type { FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import type { Actor, ServiceDeps } from "./context.ts";
import type { FlowKey } from "./flow-policy.ts";

export interface ExecutionSummary {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: string;
  inputs: Record<string, unknown>;
  labels: Record<string, string>;
  trigger: ExecutionRow["trigger"];
  parentExecutionId?: string;
  error?: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
}

export interface TaskRunView {
  id: string;
  taskId: string;
  path: string;
  value?: unknown;
  attempt: number;
  state: string;
  startedAt?: string;
  endedAt?: string;
  outputs: Record<string, unknown>;
  error?: string;
}

/** What an execution's end did downstream: a flow trigger that started an execution, refused, or waits for its other upstreams. */
export interface DownstreamView {
  namespace: string;
  flowId: string;
  triggerId: string;
  executionId?: string;
  refused?: string;
  waiting?: true;
}

export interface ExecutionView extends ExecutionSummary {
  taskRuns: TaskRunView[];
  events: { taskRunId?: string; from?: string; to: string; at: string }[];
  downstream: DownstreamView[];
}

const MAX_ATTEMPTS = 3;

/**
 * Triggers being written at once in this process; the others wait their turn here, in
 * memory, rather than in the database pool's queue, where every read of the API (GET one
 * execution, a list page) would wait behind a 3 AM burst of triggers' statements.
 */
export const TRIGGERS_AT_ONCE = 8;


export const WAIT_LIMIT_MS = 5 * 60_000;

/**
 * Executions: start one (flow live and enabled, inputs checked against the revision
 * that is pinned), read them back. What runs next is the executor's
 * (orchestrator/executor.ts); this service only asks it to take the first step.
 */
export class ExecutionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly flows: FlowRepository,
    private readonly executions: ExecutionRepository,
    private readonly executor: Executor,
    private readonly followUps: FlowTriggerRepository,
  ) {}

  private readonly admission = new Admission(TRIGGERS_AT_ONCE);

  trigger(actor: Actor, key: FlowKey, body: { inputs?: Record<string, unknown> | undefined; labels?: Record<string, string> | undefined }): Promise<ExecutionView> {
    return this.admission.run(() => this.triggerNow(actor, key, body));
  }

  private async triggerNow(actor: Actor, key: FlowKey, body: { inputs?: Record<string, unknown> | undefined; labels?: Record<string, string> | undefined }): Promise<ExecutionView> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const flow = await this.flows.find(key.namespace, key.id);
      if (!flow || flow.deletedAt) {
        const why = flow?.deletedAt ? " (it was deleted; a deleted flow cannot run)" : "";
        throw new NotFoundError(`flow ${key.namespace}/${key.id} does not exist${why}; list flows with GET /api/v1/flows/${key.namespace}`);
      }
      if (flow.disabled) {
        throw new ConflictError(`flow ${key.namespace}/${key.id} is disabled (disabled: true at revision ${flow.revision}); set disabled: false in its YAML to run it`);
      }
      const parsed = parsedSource(flow.source);
      if (!parsed.ok) throw new ConflictError(`flow ${key.namespace}/${key.id} revision ${flow.revision} no longer parses; register it again`);
      const { values, problems } = checkInputs(parsed.document.inputs, body.inputs ?? {});
      if (problems.length > 0) {
        throw new UnprocessableError(`the inputs do not fit flow ${key.namespace}/${key.id} (revision ${flow.revision}): ${problems.map((p) => p.message).join("; ")}`, problems);
      }
      const id = await this.executions.create({
        id: randomUUID(),
        namespace: key.namespace,
        flowId: key.id,
        revision: flow.revision,
        inputs: values,
        labels: body.labels ?? {},
        trigger: { type: "api", subject: actor.subject },
        subject: actor.subject,
        subjectKind: actor.subjectKind,
        requestId: actor.requestId,
      });
      if (id === null) continue; // a new revision (or a delete) landed meanwhile: check again
      await this.executor.advance(id).catch((error: Error) =>
        this.deps.logger.warn({ err: error.message, executionId: id }, "the first step of an execution failed; the executor's sweep retries it"),
      );
      return this.get(id);
    }
    throw new ConflictError(`flow ${key.namespace}/${key.id} is being changed concurrently; retry`);
  }

  /**
   * `?wait=true`: the execution once it has ended, or as it stands after `ms` (SPEC §9:
   * at most 5 minutes). Polls its row: waiting callers are few (scripts, CI steps).
   */
  async waitForEnd(id: string, ms = WAIT_LIMIT_MS): Promise<{ ended: boolean; execution: ExecutionView }> {
    const deadline = Date.now() + ms;
    for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
      const execution = await this.require(id);
      if (execution.endedAt || Date.now() >= deadline) return { ended: execution.endedAt !== null, execution: await this.get(id) };
      await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(0, deadline - Date.now()))));
    }
  }

  /** For authorization: the namespace an execution belongs to (404 if none). */
  async namespaceOf(id: string): Promise<string> {
    return (await this.require(id)).namespace;
  }

  async get(id: string): Promise<ExecutionView> {
    // The reads side by side: one round trip's wait instead of two (a POST answers with this too).
    const [found, taskRuns, events, downstream] = await Promise.all([
      this.executions.get(id), this.executions.taskRuns(id), this.executions.events(id), this.followUps.downstreamOf(id),
    ]);
    const execution = found ?? (await this.require(id));
    return {
      ...summary(execution),
      taskRuns: taskRuns.map(taskRunView),
      events: events.map((e) => ({ ...(e.taskRunId ? { taskRunId: e.taskRunId } : {}), ...(e.from ? { from: e.from } : {}), to: e.to, at: e.at })),
      downstream: downstream.map((d) => ({
        namespace: d.namespace,
        flowId: d.flowId,
        triggerId: d.triggerId,
        ...(d.executionId ? { executionId: d.executionId } : {}),
        ...(d.refused ? { refused: d.refused } : {}),
        ...(!d.consumed ? { waiting: true as const } : {}),
      })),
    };
  }

  /**
   * Newest first. Without a namespace the list spans every namespace, which only a
   * platform admin may read (the route's access says so); with one it is that subtree.
   */
  async list(
    principal: Principal,
    filter: { namespace?: string | undefined; flowId?: string | undefined; state?: string | undefined; since?: string | undefined; until?: string | undefined; labels?: Readonly<Record<string, string>> | undefined },
    page: PageQuery,
  ): Promise<Page<ExecutionSummary>> {
    if (filter.flowId !== undefined && filter.namespace === undefined) {
      throw new ValidationError("flowId needs a namespace: flow ids are unique within a namespace", [{ pointer: "/query/flowId", message: "give namespace too" }]);
    }
    if (filter.namespace === undefined && !principal.platformAdmin) {
      throw new ValidationError("give ?namespace=: only a platform admin lists every namespace's executions", [{ pointer: "/query/namespace", message: "required" }]);
    }
    if (filter.since !== undefined && filter.until !== undefined && Date.parse(filter.since) >= Date.parse(filter.until)) {
      throw new ValidationError(`since (${filter.since}) must be before until (${filter.until})`, [{ pointer: "/query/until", message: "must be after since" }]);
    }
    const before = decodeCursor(page.cursor, cursorKinds.executionKey);
    const rows = await this.executions.list({ ...filter, namespace: filter.namespace, flowId: filter.flowId, state: filter.state, before, take: page.limit + 1 });
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items: items.map(summary), nextCursor: rows.length > page.limit && last ? encodeCursor(`${last.createdAt}|${last.id}`) : null };
  }

  async logs(id: string, filter: { level?: string | undefined; taskRunId?: string | undefined }, page: PageQuery) {
    await this.require(id);
    const cursor = decodeCursor(page.cursor, cursorKinds.logId);
    const levels = filter.level ? LEVELS.slice(LEVELS.indexOf(filter.level as (typeof LEVELS)[number])) : undefined;
    const rows = await this.executions.logs(id, { afterId: cursor ?? 0, taskRunId: filter.taskRunId, levels, take: page.limit + 1 });
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({ time: r.time, level: r.level, ...(r.taskRunId ? { taskRunId: r.taskRunId } : {}), message: r.message })),
      nextCursor: rows.length > page.limit && last ? encodeCursor(String(last.id)) : null,
    };
  }

  /**
   * POST /executions/{id}/kill: a queued or created execution ends KILLED at once; a
   * running one stops its task runs and subflows and ends KILLED once they have
   * (executor.ts `kill`). An ended one is a 409 saying how it ended.
   */
  async kill(actor: Actor, id: string): Promise<ExecutionView> {
    const execution = await this.require(id);
    if (isTerminal(execution.state)) throw new ConflictError(`execution ${id} already ended in ${execution.state}${execution.endedAt ? ` at ${execution.endedAt}` : ""}; there is nothing to kill`);
    const was = await this.executor.kill(id, { subject: actor.subject, subjectKind: actor.subjectKind, requestId: actor.requestId, why: "kill requested through the API" });
    if (was === undefined) throw this.missing(id);
    // It ended meanwhile (its last task finished first): say so rather than claim a kill.
    if (isTerminal(was)) throw new ConflictError(`execution ${id} already ended in ${was}; there is nothing to kill`);
    return this.get(id);
  }

  /**
   * POST /executions/{id}/restart: an execution that ended FAILED or KILLED runs its
   * failed and killed task runs again, in the same execution on the same pinned
   * revision; successful task runs and their outputs are kept.
   */
  async restart(actor: Actor, id: string): Promise<ExecutionView> {
    const execution = await this.require(id);
    const why = (state: string) =>
      isTerminal(state as ExecutionState)
        ? `execution ${id} ended in ${state}: only a FAILED or KILLED execution can be restarted`
        : `execution ${id} is still ${state}: only an ended (FAILED or KILLED) execution can be restarted; kill it first to run it again`;
    if (execution.state !== "FAILED" && execution.state !== "KILLED") throw new ConflictError(why(execution.state));
    const outcome = await this.executor.restart(id, actor);
    if (!outcome) throw this.missing(id);
    if (!outcome.restarted) {
      if (outcome.state === "FAILED" || outcome.state === "KILLED") throw new ConflictError(`execution ${id} cannot be restarted: its flow revision ${execution.flowRevision} no longer parses`);
      throw new ConflictError(why(outcome.state));
    }
    return this.get(id);
  }

  private missing(id: string): NotFoundError {
    return new NotFoundError(`execution ${id} does not exist; list executions with GET /api/v1/executions?namespace=<namespace>`);
  }

  private async require(id: string): Promise<ExecutionRow> {
    const execution = await this.executions.get(id);
    if (!execution) throw new NotFoundError(`execution ${id} does not exist; list executions with GET /api/v1/executions?namespace=<namespace>`);
    return execution;
  }
}

/**
 * The flow's current source, parsed once per text: 3,000 triggers of one flow at 3 AM
 * parse the same YAML (parse and schema check cost ~1 ms of CPU each). Keyed by the
 * text itself, so a new revision, or a flow deleted and registered again, never hits a
 * stale entry.
 */
const parsedSources = new Map<string, ReturnType<typeof parseFlowSource>>();
function parsedSource(source: string): ReturnType<typeof parseFlowSource> {
  let parsed = parsedSources.get(source);
  if (!parsed) {
    parsed = parseFlowSource(source);
    if (parsedSources.size >= 500) parsedSources.clear();
    parsedSources.set(source, parsed);
  }
  return parsed;
}

/** `?level=WARN` means WARN and above. */
export const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;

function summary(e: ExecutionRow): ExecutionSummary {
  return {
    id: e.id,
    namespace: e.namespace,
    flowId: e.flowId,
    flowRevision: e.flowRevision,
    state: e.state,
    inputs: e.inputs,
    labels: e.labels,
    trigger: e.trigger,
    ...(e.parentExecutionId ? { parentExecutionId: e.parentExecutionId } : {}),
    ...(e.error ? { error: e.error } : {}),
    createdAt: e.createdAt,
    ...(e.startedAt ? { startedAt: e.startedAt } : {}),
    ...(e.endedAt ? { endedAt: e.endedAt } : {}),
  };
}

function taskRunView(r: TaskRunRow): TaskRunView {
  return {
    id: r.id,
    taskId: r.taskId,
    path: r.path,
    ...(r.value !== null && r.value !== undefined ? { value: r.value } : {}),
    attempt: r.attempt,
    state: r.state,
    ...(r.startedAt ? { startedAt: r.startedAt } : {}),
    ...(r.endedAt ? { endedAt: r.endedAt } : {}),
    outputs: r.outputs,
    ...(r.error ? { error: r.error } : {}),
  };
}
