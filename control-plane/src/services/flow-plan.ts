import type { Principal } from "../auth/principal.ts";
import { PERMISSION_DESCRIPTIONS, rolesGranting, selfAndAncestors, type Permission } from "../authz/roles.ts";
import type { EdgeKind } from "../flows/flow-references.ts";
import type { ServiceDeps } from "./context.ts";

/**
 * Objects that the caller's own plan creates, sent by `terraform plan` with
 * POST /flows/validate (`planned`): the Terraform provider records the namespaces,
 * trigger grants and flows it has planned before the flow it now validates, because
 * Terraform plans a resource only after those it references (or `depends_on`) and
 * applies them first. A field left out is known only after apply (e.g. a name
 * computed by another resource): it may match anything, so a verdict that depends on
 * it is a warning, never an error.
 */
export interface PlannedObjects {
  readonly namespaces?: readonly { readonly name?: string; readonly ownerTeam?: string }[];
  readonly triggerGrants?: readonly {
    readonly upstreamNamespace?: string;
    /** null: every flow of the upstream namespace. */
    readonly upstreamFlow?: string | null;
    readonly downstreamNamespace?: string;
    readonly kinds?: readonly EdgeKind[];
  }[];
  readonly flows?: readonly { readonly namespace: string; readonly id: string }[];
}

/** The namespace that governs another one (itself or its nearest ancestor), registered or planned. */
export interface Governing {
  readonly name: string;
  /** undefined: a planned namespace whose owner is known only after apply. */
  readonly ownerTeam: string | undefined;
  readonly planned: boolean;
}

/** Whether a grant lets a reference through: surely, maybe (an unknown field), or not. */
export type Coverage = "yes" | "maybe" | "no";

export interface GrantLike {
  readonly upstreamNamespace?: string;
  readonly upstreamFlow?: string | null;
  readonly downstreamNamespace?: string;
  readonly kinds?: readonly string[];
}

/**
 * The world a flow will meet when it is applied: what is registered, overlaid with
 * what the plan creates. PUT uses it with nothing planned (the registered world).
 */
export class PlanView {
  private readonly namespaces: Map<string, string | undefined>;
  private readonly flows: Set<string>;
  /** A planned namespace's name is known only after apply: any missing namespace could be it. */
  readonly unknownNamespaceName: boolean;
  readonly grants: readonly GrantLike[];

  constructor(
    private readonly deps: ServiceDeps,
    planned: PlannedObjects = {},
  ) {
    const known = (planned.namespaces ?? []).filter((n) => n.name !== undefined);
    this.namespaces = new Map(known.map((n) => [n.name!, n.ownerTeam]));
    this.unknownNamespaceName = known.length < (planned.namespaces ?? []).length;
    this.flows = new Set((planned.flows ?? []).map((f) => `${f.namespace}/${f.id}`));
    this.grants = planned.triggerGrants ?? [];
  }

  get planning(): boolean {
    return this.namespaces.size > 0 || this.unknownNamespaceName || this.flows.size > 0 || this.grants.length > 0;
  }

  /** The nearest registered or planned self-or-ancestor; a planned one wins over a registered one of the same name (its owner may change). */
  async governing(namespace: string): Promise<Governing | null> {
    const registered = await this.deps.namespaces.governing(namespace);
    for (const candidate of selfAndAncestors(namespace)) {
      if (this.namespaces.has(candidate)) return { name: candidate, ownerTeam: this.namespaces.get(candidate), planned: true };
      if (registered?.name === candidate) return { name: registered.name, ownerTeam: registered.ownerTeam, planned: false };
    }
    return null;
  }

  /** The planned ownership grants it: the caller's team is to own the namespace or an ancestor (implicit maintainer). */
  ownsPlanned(principal: Principal, namespace: string): boolean {
    return selfAndAncestors(namespace).some((n) => this.namespaces.has(n) && this.namespaces.get(n) === principal.team);
  }

  flowPlanned(namespace: string, id: string): boolean {
    return this.flows.has(`${namespace}/${id}`);
  }
}

/** A grant covers a reference when it names P or an ancestor, that flow or all, D or an ancestor, and the kind. */
export function coverage(g: GrantLike, downstreamNamespace: string, edge: { namespace: string; flowId: string; kind: EdgeKind }): Coverage {
  const checks = [
    g.upstreamNamespace === undefined ? undefined : selfAndAncestors(edge.namespace).includes(g.upstreamNamespace),
    g.upstreamFlow === undefined ? undefined : g.upstreamFlow === null || g.upstreamFlow === "" || g.upstreamFlow === edge.flowId,
    g.downstreamNamespace === undefined ? undefined : selfAndAncestors(downstreamNamespace).includes(g.downstreamNamespace),
    g.kinds === undefined ? undefined : g.kinds.includes(edge.kind),
  ];
  if (checks.includes(false)) return "no";
  return checks.includes(undefined) ? "maybe" : "yes";
}

/** PUT's 403 words for a namespace that only the plan creates, so plan and apply read alike. */
export function plannedForbiddenMessage(principal: Principal, permission: Permission, namespace: string, governing: Governing): string {
  return (
    `${principal.subject} (team ${principal.team}) lacks permission ${permission} (${PERMISSION_DESCRIPTIONS[permission]}) on namespace ${namespace}. ` +
    `Roles that grant it: ${rolesGranting(permission).join(", ")}; a maintainer of ${governing.name} (team ${governing.ownerTeam ?? "known after apply"}) or a platform admin can bind one.`
  );
}

/** Appended to a verdict that depends on a value this plan knows only after apply. */
export const NOT_DECIDED_BEFORE_APPLY = "this plan creates objects with values known only after apply, so this is not decided before apply; the apply checks it again";
