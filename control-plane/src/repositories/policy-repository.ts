import type { Tx } from "./tx.ts";

export type PolicyTarget = "flow" | "table";
export type PolicySeverity = "error" | "warning";

export interface PolicyRow {
  id: string;
  name: string;
  namespace: string;
  appliesTo: PolicyTarget;
  expression: string;
  severity: PolicySeverity;
  message: string;
  revision: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface PolicyData {
  namespace: string;
  appliesTo: PolicyTarget;
  expression: string;
  severity: PolicySeverity;
  message: string;
}

type Raw = Omit<PolicyRow, "appliesTo" | "severity"> & { appliesTo: string; severity: string };
const row = (r: Raw): PolicyRow => ({ ...r, appliesTo: r.appliesTo as PolicyTarget, severity: r.severity as PolicySeverity });

/** Platform policies (SPEC §12). A small table: hundreds of rules at most. */
export const policyRepository = {
  find: async (tx: Tx, name: string): Promise<PolicyRow | null> => {
    const r = await tx.policy.findUnique({ where: { name } });
    return r ? row(r) : null;
  },

  create: async (tx: Tx, name: string, data: PolicyData, createdBy: string): Promise<PolicyRow> => row(await tx.policy.create({ data: { name, ...data, createdBy } })),

  /** Bumps the revision only if it is still `revision`: null when a concurrent writer moved it. */
  update: async (tx: Tx, name: string, revision: number, data: PolicyData): Promise<PolicyRow | null> => {
    const { count } = await tx.policy.updateMany({ where: { name, revision }, data: { ...data, revision: revision + 1, updatedAt: new Date() } });
    if (count === 0) return null;
    const r = await tx.policy.findUnique({ where: { name } });
    return r ? row(r) : null;
  },

  delete: async (tx: Tx, id: string): Promise<void> => {
    await tx.policy.delete({ where: { id } });
  },

  list: async (tx: Tx, filter: { namespace?: string | undefined; appliesTo?: PolicyTarget | undefined }, after: string | undefined, take: number): Promise<PolicyRow[]> =>
    (
      await tx.policy.findMany({
        where: { ...(filter.namespace ? { namespace: filter.namespace } : {}), ...(filter.appliesTo ? { appliesTo: filter.appliesTo } : {}), ...(after ? { name: { gt: after } } : {}) },
        orderBy: { name: "asc" },
        take,
      })
    ).map(row),

  /** The policies governing an object of `namespaces` (its namespace and ancestors), in name order (one indexed read). */
  governing: async (tx: Tx, appliesTo: PolicyTarget, namespaces: string[]): Promise<PolicyRow[]> =>
    (await tx.policy.findMany({ where: { appliesTo, namespace: { in: namespaces } }, orderBy: { name: "asc" } })).map(row),
};
