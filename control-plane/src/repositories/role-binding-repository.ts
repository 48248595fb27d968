import type { Tx } from "./tx.ts";

export interface RoleBindingRow {
  id: string;
  namespace: string | null;
  role: string;
  createdAt: Date;
  team: { name: string } | null;
  serviceAccount: { name: string } | null;
}

const subjects = { team: { select: { name: true } }, serviceAccount: { select: { name: true } } } as const;

export const roleBindingRepository = {
  create: (
    tx: Tx,
    data: { namespace: string | null; role: string; teamId: string | null; serviceAccountId: string | null },
  ): Promise<RoleBindingRow> => tx.roleBinding.create({ data, include: subjects }),

  find: (tx: Tx, id: string): Promise<RoleBindingRow | null> => tx.roleBinding.findUnique({ where: { id }, include: subjects }),

  findSame: (
    tx: Tx,
    data: { namespace: string | null; role: string; teamId: string | null; serviceAccountId: string | null },
  ): Promise<RoleBindingRow | null> => tx.roleBinding.findFirst({ where: data, include: subjects }),

  list: (
    tx: Tx,
    filter: { namespace?: string; team?: string; serviceAccount?: string },
    after: string | undefined,
    take: number,
  ): Promise<RoleBindingRow[]> =>
    tx.roleBinding.findMany({
      where: {
        ...(after ? { id: { gt: after } } : {}),
        ...(filter.namespace ? { namespace: filter.namespace } : {}),
        ...(filter.team ? { team: { name: filter.team } } : {}),
        ...(filter.serviceAccount ? { serviceAccount: { name: filter.serviceAccount } } : {}),
      },
      orderBy: { id: "asc" },
      take,
      include: subjects,
    }),

  delete: (tx: Tx, id: string) => tx.roleBinding.delete({ where: { id } }),
};
