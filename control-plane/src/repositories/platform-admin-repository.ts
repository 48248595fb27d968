import type { Tx } from "./tx.ts";

const PLATFORM_ADMIN = { role: "platform-admin", namespace: null } as const;

/** Who can still administer the platform (the rule "never none" is services/platform-admin-guard.ts). */
export const platformAdminRepository = {
  /**
   * Serialises the changes that can remove a platform admin: two admins deleting each
   * other at once must not both see the other one left.
   */
  async lock(tx: Tx): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('meshplane.platform-admins', 0))`;
  },

  /**
   * Service accounts that can act as platform admin now: bound to the global
   * platform-admin role (themselves or through their team) and holding a key that is
   * neither revoked nor expired.
   */
  countUsable: (tx: Tx, now: Date): Promise<number> =>
    tx.serviceAccount.count({
      where: {
        OR: [{ roleBindings: { some: PLATFORM_ADMIN } }, { team: { roleBindings: { some: PLATFORM_ADMIN } } }],
        apiKeys: { some: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } },
      },
    }),
};
