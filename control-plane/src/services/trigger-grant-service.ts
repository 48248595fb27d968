import { isUniqueViolation } from "../db/errors.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { cursorKinds, decodeCursor, toPage, type Page, type PageQuery } from "../pagination.ts";
import { namespaceRepository } from "../repositories/namespace-repository.ts";
import { triggerGrantRepository, type TriggerGrantFilter, type TriggerGrantRow } from "../repositories/trigger-grant-repository.ts";
import type { Actor, ServiceDeps } from "./context.ts";

export type GrantKind = "trigger" | "subflow";

export interface TriggerGrantView {
  id: string;
  upstreamNamespace: string;
  upstreamFlow: string | null;
  downstreamNamespace: string;
  kinds: GrantKind[];
  createdBy: string;
  createdAt: string;
}

export interface TriggerGrantInput {
  upstreamNamespace: string;
  upstreamFlow?: string | undefined;
  downstreamNamespace: string;
  kinds: GrantKind[];
}

function grantView(g: TriggerGrantRow): TriggerGrantView {
  return {
    id: g.id,
    upstreamNamespace: g.upstreamNamespace,
    upstreamFlow: g.upstreamFlow === "" ? null : g.upstreamFlow,
    downstreamNamespace: g.downstreamNamespace,
    kinds: [...g.kinds].sort() as GrantKind[],
    createdBy: g.createdBy,
    createdAt: g.createdAt.toISOString(),
  };
}

/**
 * Trigger grants: the producer's consent that flows of another team may listen to
 * (kind trigger) or call (kind subflow) its flows. Created by a maintainer of the
 * upstream namespace; the route checks access.manage there.
 */
export class TriggerGrantService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Idempotent: the same (upstream, flow, downstream) with the same kinds answers the existing grant. */
  async create(actor: Actor, input: TriggerGrantInput): Promise<{ grant: TriggerGrantView; created: boolean }> {
    const sides: { field: "upstreamNamespace" | "downstreamNamespace"; ns: string; governing: string }[] = [];
    for (const [field, ns] of [["upstreamNamespace", input.upstreamNamespace], ["downstreamNamespace", input.downstreamNamespace]] as const) {
      const owner = await this.deps.namespaces.governing(ns);
      if (!owner) throw unknownNamespace(field, ns);
      sides.push({ field, ns, governing: owner.name });
    }
    const key = { upstreamNamespace: input.upstreamNamespace, upstreamFlow: input.upstreamFlow ?? "", downstreamNamespace: input.downstreamNamespace };
    const kinds = [...new Set(input.kinds)].sort();
    try {
      return await this.deps.db.$transaction(async (tx) => {
        // Held until commit: a concurrent deletion of either side removes this grant with its subtree, or is seen here.
        const gone = new Set(await namespaceRepository.holdGoverning(tx, sides.map((s) => s.governing)));
        const lost = sides.find((s) => gone.has(s.governing));
        if (lost) throw unknownNamespace(lost.field, lost.ns);
        const existing = await triggerGrantRepository.findSame(tx, key);
        if (existing) return { grant: sameOrConflict(grantView(existing), kinds), created: false };
        const grant = grantView(await triggerGrantRepository.create(tx, { ...key, kinds, createdBy: actor.subject }));
        await this.deps.audit.record(tx, {
          ...actor, action: "trigger-grant.create", resourceType: "trigger-grant", resourceId: grant.id, namespace: grant.upstreamNamespace, after: grant,
        });
        return { grant, created: true };
      });
    } catch (error) {
      // Two identical creates at once: the loser answers the winner's grant.
      if (!isUniqueViolation(error)) throw error;
      const existing = await triggerGrantRepository.findSame(this.deps.db, key);
      if (!existing) throw error;
      return { grant: sameOrConflict(grantView(existing), kinds), created: false };
    }
  }

  async get(id: string): Promise<TriggerGrantView> {
    const g = await triggerGrantRepository.find(this.deps.db, id);
    if (!g) throw notFound(id);
    return grantView(g);
  }

  /** The upstream namespace of a grant: where access.manage is needed to revoke it. */
  async upstreamNamespaceOf(id: string): Promise<string> {
    return (await this.get(id)).upstreamNamespace;
  }

  async list(filter: TriggerGrantFilter, page: PageQuery): Promise<Page<TriggerGrantView>> {
    const rows = await triggerGrantRepository.list(this.deps.db, filter, decodeCursor(page.cursor, cursorKinds.uuid), page.limit + 1);
    const p = toPage(rows, page.limit, (g) => g.id);
    return { items: p.items.map(grantView), nextCursor: p.nextCursor };
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      const g = await triggerGrantRepository.find(tx, id);
      if (!g) throw notFound(id);
      await triggerGrantRepository.delete(tx, id);
      await this.deps.audit.record(tx, {
        ...actor, action: "trigger-grant.delete", resourceType: "trigger-grant", resourceId: id, namespace: g.upstreamNamespace, before: grantView(g),
      });
    });
  }
}

function sameOrConflict(existing: TriggerGrantView, kinds: string[]): TriggerGrantView {
  if (existing.kinds.join(",") === kinds.join(",")) return existing;
  throw new ConflictError(
    `a grant from ${existing.upstreamNamespace}${existing.upstreamFlow ? `/${existing.upstreamFlow}` : ""} to ${existing.downstreamNamespace} already exists ` +
      `with kinds [${existing.kinds.join(", ")}] (id ${existing.id}); delete it (DELETE /api/v1/trigger-grants/${existing.id}) and create it again with kinds [${kinds.join(", ")}]`,
    { existing },
  );
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`trigger grant ${id} does not exist; list them with GET /api/v1/trigger-grants`);
}

function unknownNamespace(field: "upstreamNamespace" | "downstreamNamespace", ns: string): ValidationError {
  return new ValidationError(`namespace ${ns} does not exist (nor does any parent); the platform team creates namespaces (POST /api/v1/namespaces)`, [
    { pointer: `/${field}`, message: "unknown namespace" },
  ]);
}
