import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, selfAndAncestors, type Permission, type Role } from "../authz/roles.ts";
import { NotFoundError } from "../errors.ts";
import { namespaceRepository } from "../repositories/namespace-repository.ts";
import { roleBindingRepository } from "../repositories/role-binding-repository.ts";
import type { ServiceDeps } from "./context.ts";

export type AccessSubject = { kind: "team" | "service-account"; name: string };
export type AccessSource =
  | { kind: "ownership"; namespace: string }
  | { kind: "binding"; bindingId: string; namespace: string | null };

export interface AccessEntry {
  subject: AccessSubject;
  /** The strongest role the subject holds here: roles nest, so its permissions are the union. */
  role: Role;
  permissions: Permission[];
  /** Every reason it holds a role here, strongest first. */
  sources: (AccessSource & { role: Role })[];
}

/**
 * Who can do what in a namespace (SPEC §2), computed by the same rules the authorizer
 * applies (authz/authorizer.ts): the team owning the namespace or an ancestor is its
 * maintainer; a binding on it or an ancestor gives its role; a platform-admin binding
 * gives everything. A service account also acts with its team's entries (listed under
 * the team). Organisation-wide, like the bindings it is made of.
 */
export class NamespaceAccessService {
  constructor(private readonly deps: ServiceDeps) {}

  async access(name: string): Promise<{ namespace: string; entries: AccessEntry[] }> {
    if (!(await namespaceRepository.findByName(this.deps.db, name))) {
      throw new NotFoundError(`namespace ${name} does not exist; list namespaces with GET /api/v1/namespaces`);
    }
    const scopes = selfAndAncestors(name);
    const bySubject = new Map<string, { subject: AccessSubject; sources: (AccessSource & { role: Role })[] }>();
    const add = (subject: AccessSubject, source: AccessSource & { role: Role }) => {
      const key = `${subject.kind}:${subject.name}`;
      const entry = bySubject.get(key) ?? bySubject.set(key, { subject, sources: [] }).get(key)!;
      entry.sources.push(source);
    };
    for (const owner of await this.deps.namespaces.ownersOf(name)) add({ kind: "team", name: owner.ownerTeam }, { kind: "ownership", namespace: owner.name, role: "maintainer" });
    for (const b of await roleBindingRepository.actingOn(this.deps.db, scopes)) {
      // An organisation-wide binding of a namespace role gives nothing in a namespace (authorizer.ts).
      if (b.namespace === null && b.role !== "platform-admin") continue;
      const subject: AccessSubject = b.team ? { kind: "team", name: b.team.name } : { kind: "service-account", name: b.serviceAccount!.name };
      add(subject, { kind: "binding", bindingId: b.id, namespace: b.namespace, role: b.role as Role });
    }
    const rank = (r: Role) => ROLES.indexOf(r);
    const entries = [...bySubject.values()].map(({ subject, sources }) => {
      sources.sort((a, b) => rank(b.role) - rank(a.role) || (a.namespace ?? "").length - (b.namespace ?? "").length);
      const role = sources[0]!.role;
      return { subject, role, permissions: PERMISSIONS.filter((p) => ROLE_PERMISSIONS[role].has(p)), sources };
    });
    entries.sort((a, b) => rank(b.role) - rank(a.role) || a.subject.kind.localeCompare(b.subject.kind) || a.subject.name.localeCompare(b.subject.name));
    return { namespace: name, entries };
  }
}
