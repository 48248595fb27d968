import type { Tx } from "./tx.ts";

export interface ServiceAccountRow {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  team: { id: string; name: string };
}

const withTeam = { team: { select: { id: true, name: true } } } as const;

export const serviceAccountRepository = {
  create: (tx: Tx, data: { name: string; teamId: string; description: string }): Promise<ServiceAccountRow> =>
    tx.serviceAccount.create({ data, include: withTeam }),

  findByName: (tx: Tx, name: string): Promise<ServiceAccountRow | null> =>
    tx.serviceAccount.findUnique({ where: { name }, include: withTeam }),

  list: (tx: Tx, filter: { team?: string }, after: string | undefined, take: number): Promise<ServiceAccountRow[]> =>
    tx.serviceAccount.findMany({
      where: { ...(after ? { name: { gt: after } } : {}), ...(filter.team ? { team: { name: filter.team } } : {}) },
      orderBy: { name: "asc" },
      take,
      include: withTeam,
    }),

  update: (tx: Tx, id: string, data: { description?: string }): Promise<ServiceAccountRow> =>
    tx.serviceAccount.update({ where: { id }, data, include: withTeam }),

  delete: (tx: Tx, id: string) => tx.serviceAccount.delete({ where: { id } }),
};
