import type { Principal } from "../auth/principal.ts";
import { isSelfOrDescendant, selfAndAncestors } from "../authz/roles.ts";
import { toPointer, type FlowProblem, type Locator } from "../flows/flow-parser.ts";
import { distinctEdges, type FlowEdgeRef, type TableWrite } from "../flows/flow-references.ts";
import { describeCycle, findCycle, visibleCyclePath } from "../flows/flow-cycles.ts";
import type { FlowGraphRepository } from "../repositories/flow-graph-repository.ts";
import { tableContractRepository } from "../repositories/table-contract-repository.ts";
import { triggerGrantRepository, type TriggerGrantRow } from "../repositories/trigger-grant-repository.ts";
import type { ServiceDeps } from "./context.ts";
import { coverage, NOT_DECIDED_BEFORE_APPLY, PlanView, type GrantLike } from "./flow-plan.ts";

export interface FlowKey {
  readonly namespace: string;
  readonly id: string;
}

/**
 * The rules about what a flow may point at, shared by PUT (which refuses) and
 * /flows/validate (which reports), so both say the same words:
 * - a referenced namespace must exist (reference problem);
 * - a flow trigger on, or subflow call to, a flow governed by another team needs a
 *   trigger grant from that team (permission problem, SPEC §3 cross-team rule);
 * - a flow writes only into datasets its namespace may write (permission problem, see
 *   `writeProblems`);
 * - the references must not close a cycle (cycle problem), named without the flows of
 *   namespaces the caller cannot read.
 */
export class FlowPolicy {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly graph: FlowGraphRepository,
  ) {}

  /**
   * `plan`: the registered world overlaid with what the caller's plan creates
   * (validate during `terraform plan`); PUT passes none. A verdict that hangs on a
   * value the plan knows only after apply is a warning: the apply's PUT decides.
   */
  async referenceProblems(flow: FlowKey, edges: readonly FlowEdgeRef[], locate: Locator, plan: PlanView = new PlanView(this.deps)): Promise<FlowProblem[]> {
    const problems: FlowProblem[] = [];
    const downstream = await plan.governing(flow.namespace);
    const crossTeam: { edge: FlowEdgeRef; ownerTeam: string | undefined; unsure: boolean }[] = [];
    const seen = new Set<string>();
    for (const edge of edges) {
      const key = `${edge.kind}\u0000${edge.namespace}\u0000${edge.flowId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const upstream = await plan.governing(edge.namespace);
      if (!upstream) {
        const path = [...edge.path, "namespace"];
        const message = `flow ${flow.namespace}/${flow.id} ${verb(edge)} ${edge.namespace}/${edge.flowId}, but namespace ${edge.namespace} does not exist (nor does any parent); check the name, or ask the platform team to create it`;
        problems.push({
          kind: "reference",
          ...(plan.unknownNamespaceName ? { severity: "warning", message: `${message} (${NOT_DECIDED_BEFORE_APPLY})` } : { severity: "error", message }),
          pointer: toPointer(path),
          ...(locate(path) ?? {}),
        });
      } else if (downstream) {
        const unsure = upstream.ownerTeam === undefined || downstream.ownerTeam === undefined;
        if (unsure || upstream.ownerTeam !== downstream.ownerTeam) crossTeam.push({ edge, ownerTeam: upstream.ownerTeam, unsure });
      }
    }
    if (crossTeam.length > 0) {
      const grants: GrantLike[] = [
        ...(await triggerGrantRepository.candidates(
          this.deps.db,
          selfAndAncestors(flow.namespace),
          [...new Set(crossTeam.flatMap((c) => selfAndAncestors(c.edge.namespace)))],
        )),
        ...plan.grants,
      ];
      for (const { edge, ownerTeam, unsure } of crossTeam) {
        const covered = grants.map((g) => coverage(g, flow.namespace, edge));
        if (covered.includes("yes")) continue;
        const message = missingGrantMessage(flow, edge, ownerTeam ?? "(known after apply)");
        problems.push({
          kind: "permission",
          ...(unsure || covered.includes("maybe") ? { severity: "warning", message: `${message} (${NOT_DECIDED_BEFORE_APPLY})` } : { severity: "error", message }),
          pointer: toPointer(edge.path),
          ...(locate(edge.path) ?? {}),
        });
      }
    }
    return problems;
  }

  /**
   * Write ownership: a dataset belongs to the namespace that registers table contracts in
   * it (one per dataset, tables/); a flow in namespace F may write into a dataset claimed
   * by F or by a namespace under F, or into a dataset nobody claimed. Not "the same team":
   * a binding on F alone (another team's robot as developer of F) must not reach the data
   * of F's parent or siblings, whereas whoever may write F's flows may write its subtree's.
   */
  async writeProblems(flow: FlowKey, writes: readonly TableWrite[], locate: Locator): Promise<FlowProblem[]> {
    const owners = await tableContractRepository.datasetOwners(this.deps.db, writes.map((w) => w.dataset));
    const problems: FlowProblem[] = [];
    const seen = new Set<string>();
    for (const write of writes) {
      const foreign = (owners.get(write.dataset) ?? []).find((ns) => !isSelfOrDescendant(ns, flow.namespace));
      const pointer = toPointer(write.path);
      const key = `${pointer}\u0000${write.dataset}.${write.table}`;
      if (!foreign || seen.has(key)) continue;
      seen.add(key);
      const owner = await this.deps.namespaces.governing(foreign);
      problems.push({ kind: "permission", severity: "error", message: foreignWriteMessage(flow, write, foreign, owner?.ownerTeam ?? "unknown"), pointer, ...(locate(write.path) ?? {}) });
    }
    return problems;
  }

  /**
   * The cycle the new references would close, named, or null. Read-only. The cycle is
   * reported whoever asks (PUT must refuse it), but an arrow declared by a flow whose
   * namespace the caller cannot read is not printed: `canRead` says which are readable.
   */
  async cycleProblem(flow: FlowKey, edges: readonly FlowEdgeRef[], locate: Locator, canRead: (namespace: string) => Promise<boolean>): Promise<FlowProblem | null> {
    const starts = distinctEdges(edges);
    if (starts.length === 0) return null;
    const stored = await this.graph.reachableEdges(flow, starts);
    const self = `${flow.namespace}/${flow.id}`;
    const cycle = findCycle(self, [
      ...starts.map((s) => ({ from: self, to: `${s.namespace}/${s.flowId}`, kind: s.kind })),
      ...stored.map((e) => ({ from: `${e.to.namespace}/${e.to.id}`, to: `${e.from.namespace}/${e.from.id}`, kind: e.kind })),
    ]);
    if (!cycle) return null;
    const first = edges.find((e) => `${e.namespace}/${e.flowId}` === cycle.path[1]);
    const readable = new Map<string, boolean>();
    for (const node of cycle.path.slice(1)) {
      const ns = node.slice(0, node.indexOf("/"));
      if (!readable.has(ns)) readable.set(ns, await canRead(ns));
    }
    // The first arrow is the caller's own reference; the others are stored in their flows' sources.
    const shown = visibleCyclePath(cycle.path, (from, i) => i === 0 || readable.get(from.slice(0, from.indexOf("/"))) === true);
    return {
      kind: "cycle",
      severity: "error",
      message: `flow ${self} would close a cycle of flow triggers and subflow calls: ${describeCycle({ path: shown })} (each arrow: triggers on or calls); remove one of these references`,
      ...(first ? { pointer: toPointer(first.path), ...(locate(first.path) ?? {}) } : {}),
    };
  }
}

/** "May this caller read namespace N?", asked once per namespace. */
export function readableBy(deps: ServiceDeps, principal: Principal): (namespace: string) => Promise<boolean> {
  const answers = new Map<string, Promise<boolean>>();
  return (namespace) => answers.get(namespace) ?? answers.set(namespace, deps.authorizer.can(principal, "namespace.read", namespace)).get(namespace)!;
}

function verb(edge: FlowEdgeRef): string {
  return edge.kind === "trigger" ? "triggers on" : "calls";
}

/**
 * Whether a registered grant covers a reference: the one rule, at PUT and validate
 * (flow-plan.ts `coverage`, which also weighs planned grants) and at run time
 * (services/run-time-grants.ts).
 */
export function covers(
  g: Pick<TriggerGrantRow, "upstreamNamespace" | "upstreamFlow" | "downstreamNamespace" | "kinds">,
  downstreamNamespace: string,
  edge: Pick<FlowEdgeRef, "namespace" | "flowId" | "kind">,
): boolean {
  return coverage(g, downstreamNamespace, edge) === "yes";
}

/** Names the owner of the dataset, the rule, and the two ways out. */
export function foreignWriteMessage(flow: FlowKey, write: TableWrite, ownerNamespace: string, ownerTeam: string): string {
  return (
    `flow ${flow.namespace}/${flow.id} writes into ${write.dataset}.${write.table}, but dataset ${write.dataset} belongs to namespace ${ownerNamespace} (team ${ownerTeam}), which registers table contracts in it; ` +
    `a flow may write only into datasets of its own namespace (or of namespaces under it) and into datasets no namespace has claimed. ` +
    `Write into a dataset of ${flow.namespace}, or register the flow in ${ownerNamespace}: a maintainer of ${ownerNamespace} (team ${ownerTeam}) can bind you a role that writes flows there`
  );
}

/** Names the missing grant precisely, who can create it, and the call that does. */
export function missingGrantMessage(flow: FlowKey, edge: Pick<FlowEdgeRef, "namespace" | "flowId" | "kind">, ownerTeam: string): string {
  const body = JSON.stringify({ upstreamNamespace: edge.namespace, upstreamFlow: edge.flowId, downstreamNamespace: flow.namespace, kinds: [edge.kind] });
  const what =
    edge.kind === "trigger"
      ? `triggers on ${edge.namespace}/${edge.flowId}, owned by team ${ownerTeam}, but no trigger grant lets ${flow.namespace} listen to ${edge.namespace}`
      : `calls ${edge.namespace}/${edge.flowId} as a subflow, owned by team ${ownerTeam}, but no subflow grant lets ${flow.namespace} call ${edge.namespace}`;
  return `flow ${flow.namespace}/${flow.id} ${what}; a maintainer of ${edge.namespace} (team ${ownerTeam}) can create it: POST /api/v1/trigger-grants ${body}`;
}
