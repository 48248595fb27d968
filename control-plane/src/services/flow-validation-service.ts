import type { Principal } from "../auth/principal.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { flowLimitProblems, sourceSizeProblem } from "../flows/flow-limits.ts";
import { parseFlowSource, toPointer, type FlowProblem } from "../flows/flow-parser.ts";
import { flowReferences, tableWrites } from "../flows/flow-references.ts";
import type { FlowRepository } from "../repositories/flow-repository.ts";
import type { ServiceDeps } from "./context.ts";
import { NOT_DECIDED_BEFORE_APPLY, plannedForbiddenMessage, PlanView, type PlannedObjects } from "./flow-plan.ts";
import { readableBy, type FlowPolicy } from "./flow-policy.ts";
import type { PolicyService } from "./policy-service.ts";

export interface ValidationReport {
  valid: boolean;
  problems: FlowProblem[];
}

/**
 * POST /flows/validate: everything PUT would refuse, as a list instead of an error,
 * so `terraform plan` can show it in the pull request. Problems carry the same words
 * as PUT's errors (they come from the same code), plus warnings PUT lets through
 * (references to flows not registered yet: Terraform creates flows in parallel).
 * It says no more about a namespace the caller cannot read than a 403 would: no
 * "not registered" warning there (the answer is the same whether the flow exists), no
 * cycle check for a flow of such a namespace, and cycles named without their flows.
 */
export class FlowValidationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly flows: FlowRepository,
    private readonly policy: FlowPolicy,
    private readonly platformPolicies: PolicyService,
  ) {}

  /** `planned`: what the caller's plan creates before this flow (see flow-plan.ts); absent for a plain check. */
  async validate(principal: Principal, source: string, planned?: PlannedObjects): Promise<ValidationReport> {
    const tooLarge = sourceSizeProblem(source);
    if (tooLarge) return report([tooLarge]);
    const parsed = parseFlowSource(source);
    if (!parsed.ok) return report(parsed.problems);
    const { document: doc, locate } = parsed;
    // Before any database work, as PUT does: the checks below grow with these counts.
    const refs = flowReferences(doc);
    const overLimit = flowLimitProblems(doc, refs);
    if (overLimit.length > 0) return report(overLimit);
    const flow = { namespace: doc.namespace, id: doc.id };
    const problems: FlowProblem[] = [];

    const plan = new PlanView(this.deps, planned);

    try {
      await this.deps.authorizer.require(principal, "flow.write", doc.namespace);
    } catch (error) {
      if (!(error instanceof ForbiddenError || error instanceof NotFoundError)) throw error;
      // A namespace the plan creates (or re-owns) for the caller's team is the caller's to write once applied.
      const governing = plan.planning ? await plan.governing(doc.namespace) : null;
      const at = { pointer: "/namespace", ...(locate(["namespace"]) ?? {}) };
      if (governing?.planned && plan.ownsPlanned(principal, doc.namespace)) {
        // no problem: the apply creates the namespace (or its owner) before this flow
      } else if (governing?.planned && error instanceof NotFoundError) {
        problems.push({ kind: "permission", severity: "error", message: plannedForbiddenMessage(principal, "flow.write", doc.namespace, governing), ...at });
      } else if (error instanceof ForbiddenError) {
        problems.push({ kind: "permission", severity: "error", message: error.message, ...at });
      } else {
        problems.push({ kind: "reference", severity: plan.unknownNamespaceName ? "warning" : "error", message: withUnknown(plan, error.message), ...at });
      }
    }
    const governing = await plan.governing(doc.namespace);
    if (!governing) {
      if (!problems.some((p) => p.kind === "reference")) {
        problems.push({
          kind: "reference",
          severity: plan.unknownNamespaceName ? "warning" : "error",
          message: withUnknown(plan, `namespace ${doc.namespace} does not exist; the platform team creates namespaces (POST /api/v1/namespaces)`),
          pointer: "/namespace",
          ...(locate(["namespace"]) ?? {}),
        });
      }
      return report(problems);
    }

    // The same findings, in the same words, as PUT's 422 (errors) and its `warnings`.
    const findings = await this.platformPolicies.evaluate("flow", { name: doc.namespace, ownerTeam: governing.ownerTeam ?? null }, () => doc);
    for (const f of findings) problems.push({ kind: "policy", severity: f.severity, message: f.text });
    problems.push(...(await this.policy.referenceProblems(flow, refs.edges, locate, plan)));
    problems.push(...(await this.policy.writeProblems(flow, tableWrites(doc), locate)));
    const canRead = readableBy(this.deps, principal);
    // Checking a flow of a namespace the caller cannot read for cycles would tell that
    // namespace's graph; PUT would have answered 403 before looking.
    const cycle = (await canRead(flow.namespace)) ? await this.policy.cycleProblem(flow, refs.edges, locate, canRead) : null;
    if (cycle) problems.push(cycle);

    const known = await this.flows.existing(refs.edges.map((e) => ({ namespace: e.namespace, flowId: e.flowId })));
    const missingNamespace = new Set(problems.filter((p) => p.kind === "reference").map((p) => p.pointer));
    for (const edge of refs.edges) {
      const name = `${edge.namespace}/${edge.flowId}`;
      if (known.has(name) || plan.flowPlanned(edge.namespace, edge.flowId) || name === `${flow.namespace}/${flow.id}`) continue;
      if (!(await canRead(edge.namespace))) continue;
      const path = [...edge.path];
      const pointer = toPointer(path);
      if (missingNamespace.has(`${pointer}/namespace`)) continue;
      problems.push({
        kind: "reference",
        severity: "warning",
        message: `flow ${name} is not registered (yet); ${edge.kind === "trigger" ? "the trigger cannot fire" : "the subflow call would fail"} until it is`,
        pointer,
        ...(locate(path) ?? {}),
      });
    }
    return report(problems);
  }
}

/** A missing namespace that could be one the plan names only after apply: said so, not decided now. */
function withUnknown(plan: PlanView, message: string): string {
  return plan.unknownNamespaceName ? `${message} (${NOT_DECIDED_BEFORE_APPLY})` : message;
}

function report(problems: FlowProblem[]): ValidationReport {
  return { valid: !problems.some((p) => p.severity === "error"), problems };
}
