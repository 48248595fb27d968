import type { Tx } from "./tx.ts";

export interface ApiKeyRow {
  id: string;
  prefix: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const publicFields = { id: true, prefix: true, expiresAt: true, revokedAt: true, createdAt: true } as const;

export const apiKeyRepository = {
  create: (tx: Tx, data: { serviceAccountId: string; hash: string; prefix: string; expiresAt: Date | null }): Promise<ApiKeyRow> =>
    tx.apiKey.create({ data, select: publicFields }),

  listFor: (tx: Tx, serviceAccountId: string, after: string | undefined, take: number): Promise<ApiKeyRow[]> =>
    tx.apiKey.findMany({
      where: { serviceAccountId, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take,
      select: publicFields,
    }),

  find: (tx: Tx, serviceAccountId: string, id: string): Promise<ApiKeyRow | null> =>
    tx.apiKey.findFirst({ where: { id, serviceAccountId }, select: publicFields }),

  revoke: (tx: Tx, id: string): Promise<ApiKeyRow> =>
    tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: publicFields }),

  countAll: (tx: Tx): Promise<number> => tx.apiKey.count(),
};
