import type { Tx } from "./tx.ts";

export interface TriggerGrantRow {
  id: string;
  upstreamNamespace: string;
  /** "" = every flow of the upstream namespace. */
  upstreamFlow: string;
  downstreamNamespace: string;
  kinds: string[];
  createdBy: string;
  createdAt: Date;
}

export interface TriggerGrantFilter {
  upstreamNamespace?: string;
  upstreamFlow?: string;
  downstreamNamespace?: string;
  kind?: string;
}

export const triggerGrantRepository = {
  create: (tx: Tx, data: { upstreamNamespace: string; upstreamFlow: string; downstreamNamespace: string; kinds: string[]; createdBy: string }): Promise<TriggerGrantRow> =>
    tx.triggerGrant.create({ data }),

  find: (tx: Tx, id: string): Promise<TriggerGrantRow | null> => tx.triggerGrant.findUnique({ where: { id } }),

  findSame: (tx: Tx, key: { upstreamNamespace: string; upstreamFlow: string; downstreamNamespace: string }): Promise<TriggerGrantRow | null> =>
    tx.triggerGrant.findUnique({ where: { upstreamNamespace_upstreamFlow_downstreamNamespace: key } }),

  list: (tx: Tx, filter: TriggerGrantFilter, after: string | undefined, take: number): Promise<TriggerGrantRow[]> =>
    tx.triggerGrant.findMany({
      where: {
        ...(after ? { id: { gt: after } } : {}),
        ...(filter.upstreamNamespace ? { upstreamNamespace: filter.upstreamNamespace } : {}),
        ...(filter.upstreamFlow !== undefined ? { upstreamFlow: filter.upstreamFlow } : {}),
        ...(filter.downstreamNamespace ? { downstreamNamespace: filter.downstreamNamespace } : {}),
        ...(filter.kind ? { kinds: { has: filter.kind } } : {}),
      },
      orderBy: { id: "asc" },
      take,
    }),

  /**
   * Every grant that could cover a reference from one of `downstream` (the flow's
   * namespace and its ancestors) to one of `upstream` (referenced namespaces and
   * their ancestors): one query for all of a flow's cross-team references.
   */
  candidates: (tx: Tx, downstream: readonly string[], upstream: readonly string[]): Promise<TriggerGrantRow[]> =>
    tx.triggerGrant.findMany({ where: { downstreamNamespace: { in: [...downstream] }, upstreamNamespace: { in: [...upstream] } } }),

  delete: (tx: Tx, id: string) => tx.triggerGrant.delete({ where: { id } }),
};
