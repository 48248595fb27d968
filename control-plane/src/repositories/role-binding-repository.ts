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
  /**
   * Inserts the binding unless the same one exists (unique index role_bindings_identity_key,
   * NULLS NOT DISTINCT): the id of the new row, or null when it already existed.
   */
  insertIfAbsent: async (
    tx: Tx,
    data: { namespace: string | null; role: string; teamId: string | null; serviceAccountId: string | null },
  ): Promise<string | null> => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO role_bindings (id, namespace, role, team_id, service_account_id)
      VALUES (gen_random_uuid(), ${data.namespace}, ${data.role}, ${data.teamId}::uuid, ${data.serviceAccountId}::uuid)
      ON CONFLICT (namespace, role, team_id, service_account_id) DO NOTHING
      RETURNING id::text`;
    return rows[0]?.id ?? null;
  },

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

  /** The bindings that act on a namespace: on it or an ancestor (`scopes`), and the organisation-wide ones (namespace null). */
  actingOn: (tx: Tx, scopes: readonly string[]): Promise<RoleBindingRow[]> =>
    tx.roleBinding.findMany({ where: { OR: [{ namespace: { in: [...scopes] } }, { namespace: null }] }, orderBy: { id: "asc" }, include: subjects }),

  delete: (tx: Tx, id: string) => tx.roleBinding.delete({ where: { id } }),
};
