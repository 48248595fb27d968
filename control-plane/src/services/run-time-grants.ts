import type pg from "pg";
import { selfAndAncestors } from "../authz/roles.ts";
import type { EdgeKind } from "../flows/flow-references.ts";
import type { FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import { SYSTEM_ACTORS } from "./context.ts";
import { covers, missingGrantMessage, type FlowKey } from "./flow-policy.ts";

/**
 * The cross-team rule at run time (SPEC §3 (3)): checked again every time a flow trigger
 * would fire and every time a `core.subflow` task starts its child, with the same rule
 * and words as at PUT (flow-policy.ts `covers`, `missingGrantMessage`). A grant revoked
 * since the flow was registered stops it. Read on the caller's transaction, so the
 * answer is the database's at that moment (no cache: a revocation counts at once).
 */
export interface RunTimeReference {
  readonly kind: EdgeKind;
  /** The producer: the flow listened to, or called. */
  readonly upstream: { readonly namespace: string; readonly flowId: string; readonly executionId?: string };
  /** The consumer: the flow that would start (a trigger), or the flow whose task calls (a subflow). */
  readonly downstream: FlowKey & { readonly triggerId?: string; readonly executionId?: string; readonly taskRunId?: string };
}

export type GrantDecision = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

export async function checkRunTimeGrant(repo: FlowTriggerRepository, client: pg.PoolClient, ref: RunTimeReference): Promise<GrantDecision> {
  const ctx = await repo.grantContext(client, selfAndAncestors(ref.upstream.namespace), selfAndAncestors(ref.downstream.namespace));
  const edge = { namespace: ref.upstream.namespace, flowId: ref.upstream.flowId, kind: ref.kind };
  if (!ctx.upstream || !ctx.downstream) {
    const gone = !ctx.upstream ? ref.upstream.namespace : ref.downstream.namespace;
    return { allowed: false, message: `namespace ${gone} no longer exists (nor does any parent), so no grant can cover ${ref.downstream.namespace}/${ref.downstream.id} → ${ref.upstream.namespace}/${ref.upstream.flowId}` };
  }
  if (ctx.upstream.teamId === ctx.downstream.teamId) return { allowed: true };
  if (ctx.grants.some((g) => covers(g, ref.downstream.namespace, edge))) return { allowed: true };
  const message = `refused at run time: ${missingGrantMessage(ref.downstream, edge, ctx.upstream.team)}`;
  const actor = ref.kind === "trigger" ? SYSTEM_ACTORS.flowTrigger : SYSTEM_ACTORS.subflow;
  await repo.recordDenied(client, {
    ...actor,
    resourceId: `${ref.downstream.namespace}/${ref.downstream.id}`,
    namespace: ref.downstream.namespace,
    after: {
      kind: ref.kind,
      upstream: ref.upstream,
      downstream: { namespace: ref.downstream.namespace, flowId: ref.downstream.id, ...omitUndefined({ triggerId: ref.downstream.triggerId, executionId: ref.downstream.executionId, taskRunId: ref.downstream.taskRunId }) },
      missingGrant: { upstreamNamespace: ref.upstream.namespace, upstreamFlow: ref.upstream.flowId, downstreamNamespace: ref.downstream.namespace, kinds: [ref.kind] },
      canCreate: `a maintainer of ${ref.upstream.namespace} (owner team ${ctx.upstream.team}, governing namespace ${ctx.upstream.name})`,
      message,
    },
  });
  return { allowed: false, message };
}

function omitUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
