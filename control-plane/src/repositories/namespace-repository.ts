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

  /** Live flows and tables in exactly this namespace, for a 409 that lists them. */
  async contents(tx: Tx, name: string): Promise<string[]> {
    const [flows, tables] = await Promise.all([
      tx.flow.findMany({ where: { namespace: name, deletedAt: null }, select: { flowId: true }, take: 20 }),
      tx.tableContract.findMany({ where: { namespace: name, deletedAt: null }, select: { dataset: true, table: true }, take: 20 }),
    ]);
    return [...flows.map((f) => `flow ${name}/${f.flowId}`), ...tables.map((t) => `table ${name}/${t.dataset}.${t.table}`)];
  },
};
