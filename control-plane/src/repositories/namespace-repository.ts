import type { Prisma } from "../db/prisma.ts";
import { literalPrefix } from "./like.ts";
import type { Tx } from "./tx.ts";

export interface NamespaceRow {
  id: string;
  name: string;
  description: string;
  labels: Prisma.JsonValue;
  createdAt: Date;
  updatedAt: Date;
  ownerTeam: { id: string; name: string };
}

const withOwner = { ownerTeam: { select: { id: true, name: true } } } as const;

export const namespaceRepository = {
  create: (tx: Tx, data: { name: string; ownerTeamId: string; description: string; labels: Record<string, string> }): Promise<NamespaceRow> =>
    tx.namespace.create({ data, include: withOwner }),

  findByName: (tx: Tx, name: string): Promise<NamespaceRow | null> => tx.namespace.findUnique({ where: { name }, include: withOwner }),

  list: (tx: Tx, filter: { prefix?: string; ownerTeam?: string }, after: string | undefined, take: number): Promise<NamespaceRow[]> =>
    tx.namespace.findMany({
      where: {
        ...(after ? { name: { gt: after } } : {}),
        ...(filter.prefix ? { OR: [{ name: filter.prefix }, { name: { startsWith: literalPrefix(`${filter.prefix}.`) } }] } : {}),
        ...(filter.ownerTeam ? { ownerTeam: { name: filter.ownerTeam } } : {}),
      },
      orderBy: { name: "asc" },
      take,
      include: withOwner,
    }),

  update: (
    tx: Tx,
    id: string,
    data: { description?: string; labels?: Record<string, string>; ownerTeamId?: string },
  ): Promise<NamespaceRow> => tx.namespace.update({ where: { id }, data, include: withOwner }),

  delete: (tx: Tx, id: string) => tx.namespace.delete({ where: { id } }),

  /**
   * What keeps a namespace from being deleted: registered child namespaces, and live
   * flows and tables anywhere in its subtree (they would be left with no owner).
   */
  async contents(tx: Tx, name: string): Promise<string[]> {
    const subtree = { OR: [{ namespace: name }, { namespace: { startsWith: `${literalPrefix(name)}.` } }] };
    const [children, flows, tables] = await Promise.all([
      tx.namespace.findMany({ where: { name: { startsWith: `${literalPrefix(name)}.` } }, select: { name: true }, take: 20 }),
      tx.flow.findMany({ where: { ...subtree, deletedAt: null }, select: { namespace: true, flowId: true }, take: 20 }),
      tx.tableContract.findMany({ where: { ...subtree, deletedAt: null }, select: { namespace: true, dataset: true, table: true }, take: 20 }),
    ]);
    return [
      ...children.map((c) => `namespace ${c.name}`),
      ...flows.map((f) => `flow ${f.namespace}/${f.flowId}`),
      ...tables.map((t) => `table ${t.namespace}/${t.dataset}.${t.table}`),
    ];
  },

  /** Bindings and grants that name exactly this namespace go with it. */
  async deleteAccessRules(tx: Tx, name: string): Promise<{ roleBindings: number; triggerGrants: number }> {
    const bindings = await tx.roleBinding.deleteMany({ where: { namespace: name } });
    const grants = await tx.triggerGrant.deleteMany({ where: { OR: [{ upstreamNamespace: name }, { downstreamNamespace: name }] } });
    return { roleBindings: bindings.count, triggerGrants: grants.count };
  },
};
