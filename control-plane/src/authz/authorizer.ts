import type { Principal } from "../auth/principal.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import type { NamespaceDirectory } from "./namespace-directory.ts";
import { isSelfOrDescendant, PERMISSION_DESCRIPTIONS, rolesGranting, ROLE_PERMISSIONS, type Permission } from "./roles.ts";

/**
 * The one place that answers "may this caller do P on namespace N?". Sources of a
 * permission, any of which suffices: platform-admin; a binding (to the caller's
 * service account or its team) on N or an ancestor; the caller's team owning N or an
 * ancestor (implicit maintainer).
 */
export class Authorizer {
  constructor(private readonly namespaces: NamespaceDirectory) {}

  async can(principal: Principal, permission: Permission, namespace: string): Promise<boolean> {
    if (principal.platformAdmin) return true;
    for (const b of principal.bindings) {
      if (b.namespace !== null && isSelfOrDescendant(namespace, b.namespace) && ROLE_PERMISSIONS[b.role].has(permission)) {
        return true;
      }
    }
    if (ROLE_PERMISSIONS.maintainer.has(permission)) {
      const owns = async () => (await this.namespaces.ownersOf(namespace)).some((o) => o.ownerTeamId === principal.teamId);
      if (await owns()) return true;
      // The cached ownership may predate a change made through another replica: look again before refusing.
      await this.namespaces.refresh();
      if (await owns()) return true;
    }
    return false;
  }

  /** Throws a 403 that names the permission, the namespace and how to get it. */
  async require(principal: Principal, permission: Permission, namespace: string): Promise<void> {
    if (await this.can(principal, permission, namespace)) return;
    const governing = await this.namespaces.governing(namespace);
    if (!governing) {
      throw new NotFoundError(`namespace ${namespace} does not exist; the platform team creates namespaces (POST /api/v1/namespaces)`);
    }
    throw new ForbiddenError(
      `${principal.subject} (team ${principal.team}) lacks permission ${permission} (${PERMISSION_DESCRIPTIONS[permission]}) on namespace ${namespace}. ` +
        `Roles that grant it: ${rolesGranting(permission).join(", ")}; a maintainer of ${governing.name} (team ${governing.ownerTeam}) or a platform admin can bind one.`,
      { permission, namespace },
    );
  }

  requirePlatformAdmin(principal: Principal, action: string): void {
    if (principal.platformAdmin) return;
    throw new ForbiddenError(
      `${principal.subject} (team ${principal.team}) lacks the platform-admin role needed to ${action}; ask the platform team.`,
      { permission: "platform.admin", namespace: null },
    );
  }
}
