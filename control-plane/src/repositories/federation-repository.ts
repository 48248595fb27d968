import type { Tx } from "./tx.ts";

export interface FederationRow {
  id: string;
  serviceAccountId: string;
  issuer: string;
  audience: string;
  /** claim name → the exact string the token must carry. */
  claims: Record<string, string>;
  description: string;
  createdAt: Date;
}

export interface FederationRuleWithAccount extends FederationRow {
  serviceAccountName: string;
}

const fields = { id: true, serviceAccountId: true, issuer: true, audience: true, claims: true, description: true, createdAt: true } as const;

type Raw = Omit<FederationRow, "claims"> & { claims: unknown };
const row = (r: Raw): FederationRow => ({ ...r, claims: r.claims as Record<string, string> });

/** Federation rules of service accounts (OIDC token exchange, SPEC §12). */
export const federationRepository = {
  create: async (tx: Tx, data: { serviceAccountId: string; issuer: string; audience: string; claims: Record<string, string>; description: string }): Promise<FederationRow> =>
    row(await tx.serviceAccountFederation.create({ data, select: fields })),

  listFor: async (tx: Tx, serviceAccountId: string, after: string | undefined, take: number): Promise<FederationRow[]> =>
    (
      await tx.serviceAccountFederation.findMany({
        where: { serviceAccountId, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: fields,
      })
    ).map(row),

  find: async (tx: Tx, serviceAccountId: string, id: string): Promise<FederationRow | null> => {
    const r = await tx.serviceAccountFederation.findFirst({ where: { id, serviceAccountId }, select: fields });
    return r ? row(r) : null;
  },

  delete: async (tx: Tx, id: string): Promise<void> => {
    await tx.serviceAccountFederation.delete({ where: { id } });
  },

  /**
   * Every rule trusting `issuer` (of one account when named). Matched in the service
   * rather than with `claims <@ …` in SQL: a refusal must say, for the audit, how far
   * each rule was from the token, and an issuer has a rule per CI pipeline (hundreds).
   */
  listForIssuer: async (tx: Tx, issuer: string, serviceAccountName?: string): Promise<FederationRuleWithAccount[]> =>
    (
      await tx.serviceAccountFederation.findMany({
        where: { issuer, ...(serviceAccountName ? { serviceAccount: { name: serviceAccountName } } : {}) },
        orderBy: { id: "asc" },
        select: { ...fields, serviceAccount: { select: { name: true } } },
      })
    ).map(({ serviceAccount, ...r }) => ({ ...row(r), serviceAccountName: serviceAccount.name })),
};
