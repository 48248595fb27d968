import type { Tx } from "./tx.ts";

export interface TeamRow {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

export const teamRepository = {
  create: (tx: Tx, data: { name: string; description: string }): Promise<TeamRow> => tx.team.create({ data }),

  findByName: (tx: Tx, name: string): Promise<TeamRow | null> => tx.team.findUnique({ where: { name } }),

  list: (tx: Tx, after: string | undefined, take: number): Promise<TeamRow[]> =>
    tx.team.findMany({ where: after ? { name: { gt: after } } : {}, orderBy: { name: "asc" }, take }),

  update: (tx: Tx, id: string, data: { description?: string }): Promise<TeamRow> => tx.team.update({ where: { id }, data }),

  delete: (tx: Tx, id: string) => tx.team.delete({ where: { id } }),

  /** What still refers to a team, for a 409 that lists it. */
  async dependents(tx: Tx, id: string): Promise<string[]> {
    const [accounts, namespaces] = await Promise.all([
      tx.serviceAccount.findMany({ where: { teamId: id }, select: { name: true }, take: 20 }),
      tx.namespace.findMany({ where: { ownerTeamId: id }, select: { name: true }, take: 20 }),
    ]);
    return [...accounts.map((a) => `service account ${a.name}`), ...namespaces.map((n) => `namespace ${n.name}`)];
  },
};
