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
    const sa = key.serviceAccount;
    return {
      keyId: key.id,
      expiresAt: key.expiresAt,
      revokedAt: key.revokedAt,
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
}
