/**
 * Roles and what they allow (SPEC §2). The owning team of a namespace is implicitly
 * `maintainer` of its subtree; `platform-admin` is global and allows everything.
 *
 * These permissions guard what a namespace HOLDS. The directory of the organisation —
 * teams, service accounts (name, team, description; never keys), namespaces with their
 * owners, role bindings and trigger grants — needs no permission: any authenticated
 * caller reads it (routes with `access: { kind: "authenticated" }`), like a company
 * directory, because a team must discover whose flows it may trigger, which grant it
 * lacks and who can bind a role. README "Who may read what" says the same.
 */
export const PERMISSIONS = [
  "namespace.read",
  "flow.write",
  "table.write",
  "execution.trigger",
  "execution.kill",
  "execution.restart",
  "access.manage",
  "audit.read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const NAMESPACE_ROLES = ["viewer", "executor", "developer", "maintainer"] as const;
export const ROLES = [...NAMESPACE_ROLES, "platform-admin"] as const;
export type NamespaceRole = (typeof NAMESPACE_ROLES)[number];
export type Role = (typeof ROLES)[number];

const viewer: Permission[] = ["namespace.read"];
const executor: Permission[] = [...viewer, "execution.trigger"];
const developer: Permission[] = [...executor, "flow.write", "table.write", "execution.kill", "execution.restart"];
const maintainer: Permission[] = [...developer, "access.manage", "audit.read"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  viewer: new Set(viewer),
  executor: new Set(executor),
  developer: new Set(developer),
  maintainer: new Set(maintainer),
  "platform-admin": new Set(PERMISSIONS),
};

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  "namespace.read": "read the namespace's flows, their revisions and dependencies, and its tables",
  "flow.write": "create, update and delete flows",
  "table.write": "create, update and delete table contracts",
  "execution.trigger": "trigger executions",
  "execution.kill": "kill executions (their running tasks and subflows stop)",
  "execution.restart": "restart failed or killed executions",
  "access.manage": "manage role bindings and trigger grants, force-delete",
  "audit.read": "read the audit log",
};

export function rolesGranting(permission: Permission): Role[] {
  return NAMESPACE_ROLES.filter((r) => ROLE_PERMISSIONS[r].has(permission));
}

/** `retail.sales.crm` → [`retail.sales.crm`, `retail.sales`, `retail`]. */
export function selfAndAncestors(namespace: string): string[] {
  const parts = namespace.split(".");
  return parts.map((_, i) => parts.slice(0, parts.length - i).join("."));
}

export function isSelfOrDescendant(namespace: string, ancestor: string): boolean {
  return namespace === ancestor || namespace.startsWith(`${ancestor}.`);
}
