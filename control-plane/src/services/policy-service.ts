import { selfAndAncestors } from "../authz/roles.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { cursorKinds, decodeCursor, toPage, type Page, type PageQuery } from "../pagination.ts";
import { compilePolicy, type CompiledPolicy } from "../policies/cel.ts";
import { policyRepository, type PolicyData, type PolicyRow, type PolicySeverity, type PolicyTarget } from "../repositories/policy-repository.ts";
import type { Actor, ServiceDeps } from "./context.ts";

export interface PolicyView extends PolicyData {
  name: string;
  revision: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** One policy an object does not satisfy; `text` is the sentence PUT, validate and check all use. */
export interface PolicyFinding {
  policy: string;
  severity: PolicySeverity;
  message: string;
  /** CEL's error when the expression could not be evaluated on this object (a missing field…). */
  evaluationError?: string;
  text: string;
}

/** What an expression sees as `namespaceObject` (`namespace` is reserved in CEL): the object's namespace and the team owning it. */
export interface NamespaceVariable {
  name: string;
  ownerTeam: string | null;
}

/** Compiled programs kept at most; a policy's entry is replaced when it changes (id + updatedAt). */
const MAX_COMPILED = 2000;

/**
 * Platform policies (SPEC §12): CEL rules every flow or table contract of a namespace
 * subtree must satisfy. Managed by platform admins; evaluated on every flow and table PUT
 * and on their dry runs (validate, check) with the same words. Evaluation is one indexed
 * read of the policies of the object's namespace and ancestors (always fresh, so every
 * replica enforces a policy as soon as it is written) and programs compiled once per
 * policy version; no policy → no evaluation at all.
 */
export class PolicyService {
  private readonly compiled = new Map<string, CompiledPolicy>();

  constructor(private readonly deps: ServiceDeps) {}

  async put(actor: Actor, name: string, input: PolicyData, expected: number | "*" | undefined): Promise<{ policy: PolicyView; created: boolean }> {
    const compiled = compilePolicy(input.expression);
    if (!compiled.ok) {
      const { line, column, message } = compiled.problem;
      throw new ValidationError(`expression does not compile, at line ${line}, column ${column}: ${message}`, [{ pointer: "/expression", message, line, column }]);
    }
    try {
      return await this.deps.db.$transaction(async (tx) => {
        const stored = await policyRepository.find(tx, name);
        if (expected !== undefined && !stored) throw new ConflictError(`policy ${name} does not exist (If-Match: ${expected}); create it without If-Match`);
        if (typeof expected === "number" && stored && stored.revision !== expected) {
          throw new ConflictError(`policy ${name} is at revision ${stored.revision}, not ${expected} (If-Match); read it again and retry`, { currentRevision: stored.revision });
        }
        if (!stored) {
          const row = await policyRepository.create(tx, name, input, actor.subject);
          await this.audit(tx, actor, "policy.create", row, undefined, view(row));
          return { policy: view(row), created: true };
        }
        if (sameData(stored, input)) return { policy: view(stored), created: false };
        const row = await policyRepository.update(tx, name, stored.revision, input);
        if (!row) throw new ConflictError(`policy ${name} is being changed concurrently; retry`);
        await this.audit(tx, actor, "policy.update", row, view(stored), view(row));
        return { policy: view(row), created: false };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`policy ${name} is being created concurrently; retry`);
      throw error;
    }
  }

  async get(name: string): Promise<PolicyView> {
    const row = await policyRepository.find(this.deps.db, name);
    if (!row) throw notFound(name);
    return view(row);
  }

  async list(filter: { namespace?: string | undefined; appliesTo?: PolicyTarget | undefined }, page: PageQuery): Promise<Page<PolicyView>> {
    const rows = await policyRepository.list(this.deps.db, filter, decodeCursor(page.cursor, cursorKinds.name), page.limit + 1);
    const p = toPage(rows, page.limit, (r) => r.name);
    return { items: p.items.map(view), nextCursor: p.nextCursor };
  }

  async delete(actor: Actor, name: string): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      const row = await policyRepository.find(tx, name);
      if (!row) throw notFound(name);
      await policyRepository.delete(tx, row.id);
      await this.audit(tx, actor, "policy.delete", row, view(row), undefined);
    });
  }

  /** Every policy of `appliesTo` governing `namespace` that `object` does not satisfy, errors and warnings. */
  async evaluate(appliesTo: PolicyTarget, namespace: NamespaceVariable, object: () => unknown): Promise<PolicyFinding[]> {
    const policies = await policyRepository.governing(this.deps.db, appliesTo, selfAndAncestors(namespace.name));
    if (policies.length === 0) return [];
    // JSON in, JSON out: CEL sees maps, lists, strings, numbers, bools and nulls only (no undefined).
    const vars = { object: JSON.parse(JSON.stringify(object() ?? null)), namespaceObject: { name: namespace.name, ownerTeam: namespace.ownerTeam } };
    const findings: PolicyFinding[] = [];
    for (const policy of policies) {
      const verdict = this.program(policy)(vars);
      if (verdict.pass) continue;
      const evaluationError = verdict.error;
      findings.push({
        policy: policy.name,
        severity: policy.severity,
        message: policy.message,
        ...(evaluationError ? { evaluationError } : {}),
        text: `policy ${policy.name} (${policy.severity}, namespace ${policy.namespace}): ${policy.message}${evaluationError ? ` (the expression could not be evaluated: ${evaluationError})` : ""}`,
      });
    }
    return findings;
  }

  private program(policy: PolicyRow): CompiledPolicy {
    const key = `${policy.id}@${policy.updatedAt.getTime()}@${policy.revision}`;
    let program = this.compiled.get(key);
    if (!program) {
      const compiled = compilePolicy(policy.expression);
      // Stored expressions compiled when written; a library upgrade that refuses one makes it a violation, not a 500.
      program = compiled.ok ? compiled.run : () => ({ pass: false, error: `does not compile: ${compiled.problem.message}` });
      for (const old of this.compiled.keys()) if (old.startsWith(`${policy.id}@`)) this.compiled.delete(old);
      if (this.compiled.size >= MAX_COMPILED) this.compiled.delete(this.compiled.keys().next().value!);
      this.compiled.set(key, program);
    }
    return program;
  }

  private async audit(tx: Parameters<ServiceDeps["audit"]["record"]>[0], actor: Actor, action: string, row: PolicyRow, before: PolicyView | undefined, after: PolicyView | undefined) {
    await this.deps.audit.record(tx, { ...actor, action, resourceType: "policy", resourceId: row.name, namespace: row.namespace, before, after });
  }
}

/** The sentence of a 422: every failing error policy, in name order. */
export function policyRefusal(kind: "flow" | "table contract", name: string, errors: PolicyFinding[]): string {
  return `${kind} ${name} is refused by ${errors.length === 1 ? "a platform policy" : `${errors.length} platform policies`}: ${errors.map((e) => e.text).join("; ")}`;
}

function sameData(row: PolicyRow, input: PolicyData): boolean {
  return row.namespace === input.namespace && row.appliesTo === input.appliesTo && row.expression === input.expression && row.severity === input.severity && row.message === input.message;
}

function view(r: PolicyRow): PolicyView {
  return {
    name: r.name,
    namespace: r.namespace,
    appliesTo: r.appliesTo,
    expression: r.expression,
    severity: r.severity,
    message: r.message,
    revision: r.revision,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`policy ${name} does not exist; list them with GET /api/v1/policies`);
}
