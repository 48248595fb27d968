import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { cursorKinds, decodeCursor, toPage, type Page, type PageQuery } from "../pagination.ts";
import { namespaceRepository } from "../repositories/namespace-repository.ts";
import { roleBindingRepository, type RoleBindingRow } from "../repositories/role-binding-repository.ts";
import { serviceAccountRepository } from "../repositories/service-account-repository.ts";
import { teamRepository } from "../repositories/team-repository.ts";
import type { Actor, ServiceDeps } from "./context.ts";
import { keepingAPlatformAdmin } from "./platform-admin-guard.ts";

export interface RoleBindingView {
  id: string;
  namespace: string | null;
  role: string;
  team: string | null;
  serviceAccount: string | null;
  createdAt: string;
}

export interface RoleBindingInput {
  namespace?: string | undefined;
  role: string;
  team?: string | undefined;
  serviceAccount?: string | undefined;
}

function bindingView(b: RoleBindingRow): RoleBindingView {
  return {
    id: b.id,
    namespace: b.namespace,
    role: b.role,
    team: b.team?.name ?? null,
    serviceAccount: b.serviceAccount?.name ?? null,
    createdAt: b.createdAt.toISOString(),
  };
}

/** Role bindings: (team or service account) × role × namespace. */
export class RoleBindingService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Idempotent: binding the same role twice answers the existing binding (created = false). */
  async create(actor: Actor, input: RoleBindingInput): Promise<{ binding: RoleBindingView; created: boolean }> {
    // Asked before the transaction, never inside it: the directory reads through the same
    // pool, and a transaction waiting for a second connection deadlocks once as many
    // bindings arrive at once as the pool has connections (test/one-connection-pool.test.ts).
    const governing = input.namespace === undefined ? null : await this.deps.namespaces.governing(input.namespace);
    if (input.namespace !== undefined && !governing) throw unknownNamespace(input.namespace);
    const result = await this.deps.db.$transaction(async (tx) => {
      // The namespace the binding falls under, held until commit: a concurrent deletion
      // of it either removes this binding with its subtree or is seen here.
      if (governing && (await namespaceRepository.holdGoverning(tx, [governing.name])).length > 0) throw unknownNamespace(input.namespace!);
      let teamId: string | null = null;
      let serviceAccountId: string | null = null;
      if (input.team !== undefined) {
        const team = await teamRepository.findByName(tx, input.team);
        if (!team) throw new ValidationError(`team ${input.team} does not exist`, [{ pointer: "/team", message: "unknown team" }]);
        teamId = team.id;
      } else if (input.serviceAccount !== undefined) {
        const sa = await serviceAccountRepository.findByName(tx, input.serviceAccount);
        if (!sa) throw new ValidationError(`service account ${input.serviceAccount} does not exist`, [{ pointer: "/serviceAccount", message: "unknown service account" }]);
        serviceAccountId = sa.id;
      }
      const data = { namespace: input.namespace ?? null, role: input.role, teamId, serviceAccountId };
      // Idempotent under concurrency too: the same binding asked for at once (retries,
      // several replicas) is one row, by the unique index the insert yields to.
      const id = await roleBindingRepository.insertIfAbsent(tx, data);
      if (id === null) {
        const existing = await roleBindingRepository.findSame(tx, data);
        if (!existing) throw new Error("role binding vanished between its insert and its read");
        return { binding: bindingView(existing), created: false };
      }
      const binding = bindingView((await roleBindingRepository.find(tx, id))!);
      await this.deps.audit.record(tx, { ...actor, action: "role-binding.create", resourceType: "role-binding", resourceId: binding.id, namespace: binding.namespace, after: binding });
      return { binding, created: true };
    });
    this.deps.authenticator.invalidate();
    return result;
  }

  async get(id: string): Promise<RoleBindingView> {
    const b = await roleBindingRepository.find(this.deps.db, id);
    if (!b) throw notFound(id);
    return bindingView(b);
  }

  /** The namespace a binding acts on (null = global), for the route's access check. */
  async namespaceOf(id: string): Promise<string | null> {
    return (await this.get(id)).namespace;
  }

  async list(filter: { namespace?: string; team?: string; serviceAccount?: string }, page: PageQuery): Promise<Page<RoleBindingView>> {
    const rows = await roleBindingRepository.list(this.deps.db, filter, decodeCursor(page.cursor, cursorKinds.uuid), page.limit + 1);
    const p = toPage(rows, page.limit, (b) => b.id);
    return { items: p.items.map(bindingView), nextCursor: p.nextCursor };
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      const b = await roleBindingRepository.find(tx, id);
      if (!b) throw notFound(id);
      if (b.role === "platform-admin" && b.serviceAccount?.name === actor.subject) {
        throw new ConflictError("you cannot remove your own platform-admin binding; another platform admin must do it");
      }
      const remove = () => roleBindingRepository.delete(tx, id);
      if (b.role === "platform-admin" && b.namespace === null) await keepingAPlatformAdmin(tx, `deleting platform-admin binding ${id}`, remove);
      else await remove();
      await this.deps.audit.record(tx, { ...actor, action: "role-binding.delete", resourceType: "role-binding", resourceId: id, namespace: b.namespace, before: bindingView(b) });
    });
    this.deps.authenticator.invalidate();
  }
}

function unknownNamespace(namespace: string): ValidationError {
  return new ValidationError(`namespace ${namespace} does not exist (nor does any parent); create it first`, [{ pointer: "/namespace", message: "unknown namespace" }]);
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`role binding ${id} does not exist; list them with GET /api/v1/role-bindings`);
}
