import type { Principal } from "../auth/principal.ts";
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError, type FieldProblem } from "../errors.ts";
import { flowLimitProblems, requireSourceWithinLimit } from "../flows/flow-limits.ts";
import { parseFlowSource, type FlowProblem } from "../flows/flow-parser.ts";
import { deriveFlowData, NOTHING_DERIVED } from "../flows/flow-derived.ts";
import { distinctEdges, flowReferences, tableWrites } from "../flows/flow-references.ts";
import { cursorKinds, decodeCursor, encodeCursor, invalidCursor, type Page, type PageQuery } from "../pagination.ts";
import type { FlowGraphRepository, GraphEdge } from "../repositories/flow-graph-repository.ts";
import type { FlowRepository, FlowRow } from "../repositories/flow-repository.ts";
import { visibleDependencies, type FlowDependencies } from "./flow-dependencies.ts";
import type { Actor, ServiceDeps } from "./context.ts";
import { readableBy, type FlowKey, type FlowPolicy } from "./flow-policy.ts";
import { policyRefusal, type PolicyService } from "./policy-service.ts";

export interface FlowView {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  labels: Record<string, string>;
  disabled: boolean;
  description: string;
  createdAt: string;
  updatedAt: string;
  deleted?: true;
  /** PUT only: the warning policies the flow does not satisfy (they never block). */
  warnings?: PolicyWarning[];
}

export interface PolicyWarning {
  kind: "policy";
  policy: string;
  message: string;
}

export function flowView(r: FlowRow): FlowView {
  return {
    namespace: r.namespace,
    id: r.flowId,
    revision: r.revision,
    source: r.source,
    labels: r.labels,
    disabled: r.disabled,
    description: r.description,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(r.deletedAt ? { deleted: true as const } : {}),
  };
}

const MAX_ATTEMPTS = 4;

/**
 * Flows: parse once, check the rules, then one SQL statement does the state change
 * (revision, history, edges, table references, audit). See src/sql/flows/put-flow.sql.
 */
export class FlowService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly flows: FlowRepository,
    private readonly graph: FlowGraphRepository,
    private readonly policy: FlowPolicy,
    private readonly platformPolicies: PolicyService,
  ) {}

  /** `expected`: the revision the caller saw (If-Match), `*` for "must exist", `absent` for "must not exist" (If-None-Match: *), undefined for any. */
  async put(actor: Actor, principal: Principal, target: FlowKey, source: string, expected: number | "*" | "absent" | undefined): Promise<{ created: boolean; flow: FlowView }> {
    requireSourceWithinLimit(source);
    const parsed = parseFlowSource(source);
    if (!parsed.ok) throw invalidSource(parsed.problems);
    const { document: doc, locate } = parsed;
    const mismatch: FlowProblem[] = [];
    for (const field of ["namespace", "id"] as const) {
      const inPath = field === "id" ? target.id : target.namespace;
      if (doc[field] !== inPath) {
        mismatch.push({ kind: "schema", severity: "error", message: `${field} is ${doc[field]} in the YAML but ${inPath} in the URL; they must match`, pointer: `/${field}`, ...(locate([field]) ?? {}) });
      }
    }
    if (mismatch.length > 0) throw new ValidationError(mismatch.map((p) => p.message).join("; "), mismatch.map(fieldProblem));
    const refs = flowReferences(doc);
    const overLimit = flowLimitProblems(doc, refs);
    if (overLimit.length > 0) throw new UnprocessableError(overLimit.map((p) => p.message).join("; "), overLimit.map(fieldProblem));
    const governing = await this.deps.namespaces.governing(target.namespace);
    if (!governing) throw unknownNamespace(target.namespace);

    const problems = [...(await this.policy.referenceProblems(target, refs.edges, locate)), ...(await this.policy.writeProblems(target, tableWrites(doc), locate))];
    const references = problems.filter((p) => p.kind === "reference");
    if (references.length > 0) throw new UnprocessableError(references.map((p) => p.message).join("; "), references.map(fieldProblem));
    if (problems.length > 0) throw new ForbiddenError(problems.map((p) => p.message).join("; "), { errors: problems.map(fieldProblem) });
    const findings = await this.platformPolicies.evaluate("flow", { name: target.namespace, ownerTeam: governing.ownerTeam }, () => doc);
    const refusals = findings.filter((f) => f.severity === "error");
    if (refusals.length > 0) {
      throw new UnprocessableError(policyRefusal("flow", `${target.namespace}/${target.id}`, refusals), refusals.map((f) => ({ pointer: "", message: f.text })), { policies: refusals.map((f) => f.policy) });
    }
    const warnings: PolicyWarning[] = findings.map((f) => ({ kind: "policy", policy: f.policy, message: f.text }));
    const answer = (row: FlowRow): FlowView => (warnings.length > 0 ? { ...flowView(row), warnings } : flowView(row));

    const command = {
      namespace: target.namespace,
      flowId: target.id,
      source,
      labels: doc.labels ?? {},
      description: doc.description ?? "",
      disabled: doc.disabled ?? false,
      expected,
      derived: deriveFlowData(doc, refs),
      subject: actor.subject,
      subjectKind: actor.subjectKind,
      requestId: actor.requestId,
      governingNamespace: governing.name,
    };
    // Each attempt is one atomic statement; a retry only happens when a concurrent
    // writer moved the row between our snapshot and our update (then we re-decide).
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { outcome, stale, row } = await this.flows.put(command);
      if (outcome === "namespace-gone") throw unknownNamespace(target.namespace);
      if (stale) await this.flows.resyncDerived(target.namespace, target.id, row!.revision, command.derived);
      if (outcome === "created" || outcome === "revived") return { created: true, flow: answer(row!) };
      if (outcome === "updated") return { created: false, flow: answer(row!) };
      if (outcome === "cycle") {
        const cycle = await this.policy.cycleProblem(target, refs.edges, locate, readableBy(this.deps, principal));
        if (cycle) throw new UnprocessableError(cycle.message, [fieldProblem(cycle)]);
        continue; // the graph changed under us: try again
      }
      const live = row && !row.deletedAt ? row : null;
      if (expected === "*" && !live) throw conflict(target, `it does not exist (If-Match: *)`);
      if (expected === "absent" && live) {
        throw new ConflictError(`flow ${target.namespace}/${target.id} already exists (revision ${live.revision}) and If-None-Match: * asked to create it only; import it (terraform import … ${target.namespace}/${target.id}) or update it with If-Match: ${live.revision}`, { currentRevision: live.revision });
      }
      if (typeof expected === "number") {
        if (!live) throw conflict(target, `it does not exist (If-Match: ${expected})`);
        if (live.revision !== expected) throw revisionMismatch(target, expected, live.revision);
      }
      if (live && live.source === source) return { created: false, flow: answer(live) };
    }
    throw new ConflictError(`flow ${target.namespace}/${target.id} is being changed concurrently; retry`);
  }

  async get(key: FlowKey, options: { revision?: number | undefined; includeDeleted?: boolean | undefined } = {}): Promise<FlowView> {
    if (options.revision !== undefined) return this.revision(key, options.revision);
    const row = await this.flows.find(key.namespace, key.id);
    if (!row || (row.deletedAt && !options.includeDeleted)) throw flowNotFound(key, row);
    return flowView(row);
  }

  async list(namespace: string, subtree: boolean, page: PageQuery): Promise<Page<FlowView>> {
    const after = decodeCursor(page.cursor, cursorKinds.flowKey);
    if (after && !subtree && after.namespace !== namespace) throw invalidCursor();
    const rows = await this.flows.list(namespace, subtree, after, page.limit + 1);
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items: items.map(flowView), nextCursor: rows.length > page.limit && last ? encodeCursor(`${last.namespace}\u0000${last.flowId}`) : null };
  }

  async revisions(key: FlowKey, page: PageQuery) {
    const cursor = decodeCursor(page.cursor, cursorKinds.revision);
    const rows = await this.flows.revisions(key.namespace, key.id, cursor, page.limit + 1);
    if (rows.length === 0 && cursor === undefined) throw flowNotFound(key, null);
    const items = rows.slice(0, page.limit).map((r) => ({ revision: r.revision, deleted: r.deleted, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(String(last.revision)) : null };
  }

  /** One revision as a flow (labels etc. read back from that revision's source). */
  async revision(key: FlowKey, n: number): Promise<FlowView & { createdBy: string }> {
    const r = await this.flows.revision(key.namespace, key.id, n);
    if (!r) {
      throw new NotFoundError(`flow ${key.namespace}/${key.id} has no revision ${n}; list them with GET /api/v1/flows/${key.namespace}/${key.id}/revisions`);
    }
    const parsed = parseFlowSource(r.source);
    const doc = parsed.ok ? parsed.document : undefined;
    return {
      namespace: key.namespace,
      id: key.id,
      revision: r.revision,
      source: r.source,
      labels: doc?.labels ?? {},
      disabled: doc?.disabled ?? false,
      description: doc?.description ?? "",
      createdAt: r.flow.createdAt.toISOString(),
      updatedAt: r.createdAt.toISOString(),
      ...(r.deleted ? { deleted: true as const } : {}),
      createdBy: r.createdBy,
    };
  }

  async delete(actor: Actor, principal: Principal, key: FlowKey, options: { force: boolean; expected: number | "*" | undefined }): Promise<void> {
    const expected = options.expected;
    if (expected === "*") throw new ValidationError("If-Match: * is not meaningful on DELETE; give the revision", [{ pointer: "/headers/if-match", message: "give a revision" }]);
    let force = false;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await this.flows.softDelete({ namespace: key.namespace, flowId: key.id, force, expected, subject: actor.subject, subjectKind: actor.subjectKind, requestId: actor.requestId });
      if (result.deleted) {
        if (result.stale) await this.flows.resyncDerived(key.namespace, key.id, result.deletedRevision!, NOTHING_DERIVED);
        return;
      }
      if (result.currentRevision === null) throw flowNotFound(key, null);
      if (expected !== undefined && result.currentRevision !== expected) throw revisionMismatch(key, expected, result.currentRevision);
      if (result.dependents.length > 0) {
        if (!options.force) throw dependentsConflict(key, result.dependents);
        // Forcing past dependents is a maintainer's decision (access.manage).
        await this.deps.authorizer.require(principal, "access.manage", key.namespace);
        force = true;
      }
    }
    throw new ConflictError(`flow ${key.namespace}/${key.id} is being changed concurrently; retry`);
  }

  /**
   * The walk stops at flows of namespaces the caller cannot read: such a flow is shown
   * (it is the other end of an edge of a flow the caller can read) but `hidden`, with
   * neither its registration nor what lies beyond it.
   */
  async dependencies(principal: Principal, key: FlowKey, direction: "up" | "down", recursive: boolean): Promise<FlowDependencies> {
    const row = await this.flows.find(key.namespace, key.id);
    if (!row || row.deletedAt) throw flowNotFound(key, row);
    const graph = await this.graph.dependencies(key, direction, recursive);
    return visibleDependencies(graph, key, direction, readableBy(this.deps, principal));
  }
}

export function fieldProblem(p: FlowProblem): FieldProblem & { kind: string } {
  return { kind: p.kind, pointer: p.pointer ?? "", message: p.message, ...(p.line !== undefined ? { line: p.line, column: p.column! } : {}) };
}

function invalidSource(problems: FlowProblem[]): ValidationError {
  const where = (p: FlowProblem) => (p.line !== undefined ? `line ${p.line}, column ${p.column}: ` : p.pointer ? `${p.pointer}: ` : "");
  const head = problems[0]!.kind === "syntax" ? "the flow source is not valid YAML" : "the flow does not match the flow schema (GET /api/v1/schemas/flow.json)";
  const listed = problems.slice(0, 10).map((p) => `${where(p)}${p.message}`);
  const more = problems.length > 10 ? ` (and ${problems.length - 10} more)` : "";
  return new ValidationError(`${head}: ${listed.join("; ")}${more}`, problems.map(fieldProblem));
}

export function unknownNamespace(namespace: string): NotFoundError {
  return new NotFoundError(`namespace ${namespace} does not exist; the platform team creates namespaces (POST /api/v1/namespaces)`);
}

function flowNotFound(key: FlowKey, row: FlowRow | null): NotFoundError {
  const deleted = row?.deletedAt ? ` (it was deleted at revision ${row.revision}; its history stays readable at /revisions)` : "";
  return new NotFoundError(`flow ${key.namespace}/${key.id} does not exist${deleted}; list flows with GET /api/v1/flows/${key.namespace}`);
}

function conflict(key: FlowKey, why: string): ConflictError {
  return new ConflictError(`flow ${key.namespace}/${key.id} was not changed: ${why}`);
}

function revisionMismatch(key: FlowKey, expected: number, current: number): ConflictError {
  return new ConflictError(
    `flow ${key.namespace}/${key.id} is at revision ${current}, not ${expected} (If-Match); someone changed it meanwhile: read it again and retry with If-Match: ${current}`,
    { currentRevision: current },
  );
}

function dependentsConflict(key: FlowKey, dependents: { namespace: string; id: string; kind: string }[]): ConflictError {
  const names = dependents.map((d) => `${d.namespace}/${d.id} (${d.kind === "trigger" ? "triggers on it" : "calls it"})`);
  return new ConflictError(
    `flow ${key.namespace}/${key.id} has dependents: ${names.join(", ")}; change or delete them first, or delete anyway with ?force=true (needs access.manage on ${key.namespace})`,
    { dependents },
  );
}

