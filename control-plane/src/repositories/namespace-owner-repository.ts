import type { Db } from "../db/prisma.ts";

export interface NamespaceOwner {
  readonly name: string;
  readonly ownerTeamId: string;
  readonly ownerTeam: string;
}

/** Every namespace with its owner: small (hundreds of rows), read whole and cached. */
export class NamespaceOwnerRepository {
  constructor(private readonly db: Db) {}

  async listAll(): Promise<NamespaceOwner[]> {
    const rows = await this.db.namespace.findMany({ select: { name: true, ownerTeamId: true, ownerTeam: { select: { name: true } } } });
    return rows.map((r) => ({ name: r.name, ownerTeamId: r.ownerTeamId, ownerTeam: r.ownerTeam.name }));
  }
}
