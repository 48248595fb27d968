import type { Db } from "../db/prisma.ts";
import type { Role } from "../authz/roles.ts";

export interface KeyOwnerRow {
  keyId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  serviceAccountId: string;
  serviceAccountName: string;
  teamId: string;
  teamName: string;
  bindings: { id: string; role: Role; namespace: string | null; via: "team" | "service-account" }[];
}

/** Reads what authentication needs: a key's owner with every role binding that applies. */
export class IdentityRepository {
  constructor(private readonly db: Db) {}

  async findKeyOwnerByHash(hash: string): Promise<KeyOwnerRow | null> {
    const key = await this.db.apiKey.findUnique({ where: { hash }, select: { id: true } });
    return key ? this.findKeyOwnerById(key.id) : null;
  }

  async findKeyOwnerById(keyId: string): Promise<KeyOwnerRow | null> {
    const key = await this.db.apiKey.findUnique({
      where: { id: keyId },
      include: {
        serviceAccount: {
          include: { team: { include: { roleBindings: true } }, roleBindings: true },
        },
      },
    });
    if (!key) return null;
    return ownerRow(key.id, key.serviceAccount, key.expiresAt, key.revokedAt);
  }

  /** The owner of a federation rule, shaped like a key's (never expired nor revoked: deleting the rule is the revocation). */
  async findFederationOwnerById(federationId: string): Promise<KeyOwnerRow | null> {
    const rule = await this.db.serviceAccountFederation.findUnique({
      where: { id: federationId },
      include: { serviceAccount: { include: { team: { include: { roleBindings: true } }, roleBindings: true } } },
    });
    return rule ? ownerRow(rule.id, rule.serviceAccount, null, null) : null;
  }
}

type AccountWithBindings = {
  id: string;
  name: string;
  roleBindings: { id: string; role: string; namespace: string | null }[];
  team: { id: string; name: string; roleBindings: { id: string; role: string; namespace: string | null }[] };
};

function ownerRow(credentialId: string, sa: AccountWithBindings, expiresAt: Date | null, revokedAt: Date | null): KeyOwnerRow {
    return {
      keyId: credentialId,
      expiresAt,
      revokedAt,
      serviceAccountId: sa.id,
      serviceAccountName: sa.name,
      teamId: sa.team.id,
      teamName: sa.team.name,
      bindings: [
        ...sa.roleBindings.map((b) => ({ id: b.id, role: b.role as Role, namespace: b.namespace, via: "service-account" as const })),
        ...sa.team.roleBindings.map((b) => ({ id: b.id, role: b.role as Role, namespace: b.namespace, via: "team" as const })),
      ],
    };
}
