import { selfAndAncestors } from "../authz/roles.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { cursorKinds, decodeCursor, toPage, type Page, type PageQuery } from "../pagination.ts";
import { namespaceRepository, type NamespaceRow } from "../repositories/namespace-repository.ts";
import { teamRepository } from "../repositories/team-repository.ts";
import type { Actor, ServiceDeps } from "./context.ts";

export interface NamespaceView {
  name: string;
  ownerTeam: string;
  description: string;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

function namespaceView(n: NamespaceRow): NamespaceView {
  return {
    name: n.name,
    ownerTeam: n.ownerTeam.name,
    description: n.description,
    labels: (n.labels ?? {}) as Record<string, string>,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

/** Namespaces: created by the platform team, each owned by one team. */
export class NamespaceService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(actor: Actor, input: { name: string; ownerTeam: string; description?: string; labels?: Record<string, string> }): Promise<NamespaceView> {
    try {
      const view = await this.deps.db.$transaction(async (tx) => {
        const team = await teamRepository.findByName(tx, input.ownerTeam);
        if (!team) throw unknownTeam(input.ownerTeam);
        // A parent being deleted must see this child (409) or be gone before it is created,
        // never purge the new child's access rules as part of its old subtree.
        await namespaceRepository.holdGoverning(tx, selfAndAncestors(input.name).slice(1));
        const ns = namespaceView(
          await namespaceRepository.create(tx, { name: input.name, ownerTeamId: team.id, description: input.description ?? "", labels: input.labels ?? {} }),
        );
        await this.deps.audit.record(tx, { ...actor, action: "namespace.create", resourceType: "namespace", resourceId: ns.name, namespace: ns.name, after: ns });
        return ns;
      });
      this.deps.namespaces.invalidate();
      return view;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`namespace ${input.name} already exists; update it with PATCH /api/v1/namespaces/${input.name}`);
      throw error;
    }
  }

  async get(name: string): Promise<NamespaceView> {
    const ns = await namespaceRepository.findByName(this.deps.db, name);
    if (!ns) throw notFound(name);
    return namespaceView(ns);
  }

  async list(filter: { prefix?: string; ownerTeam?: string }, page: PageQuery): Promise<Page<NamespaceView>> {
    const rows = await namespaceRepository.list(this.deps.db, filter, decodeCursor(page.cursor, cursorKinds.name), page.limit + 1);
    const p = toPage(rows, page.limit, (n) => n.name);
    return { items: p.items.map(namespaceView), nextCursor: p.nextCursor };
  }

  async update(actor: Actor, name: string, input: { ownerTeam?: string; description?: string; labels?: Record<string, string> }): Promise<NamespaceView> {
    const view = await this.deps.db.$transaction(async (tx) => {
      const before = await namespaceRepository.findByName(tx, name);
      if (!before) throw notFound(name);
      let ownerTeamId: string | undefined;
      if (input.ownerTeam !== undefined) {
        const team = await teamRepository.findByName(tx, input.ownerTeam);
        if (!team) throw unknownTeam(input.ownerTeam);
        ownerTeamId = team.id;
      }
      const after = namespaceView(
        await namespaceRepository.update(tx, before.id, {
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.labels !== undefined ? { labels: input.labels } : {}),
          ...(ownerTeamId !== undefined ? { ownerTeamId } : {}),
        }),
      );
      await this.deps.audit.record(tx, { ...actor, action: "namespace.update", resourceType: "namespace", resourceId: name, namespace: name, before: namespaceView(before), after });
      return after;
    });
    this.deps.namespaces.invalidate();
    return view;
  }

  /**
   * Refused (409) while the namespace has registered children or live flows or tables in
   * its subtree. Otherwise the namespace goes with everything its subtree still holds
   * (access rules, soft-deleted content), in one transaction: see purgeSubtree.
   */
  async delete(actor: Actor, name: string): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      // First: writes into the subtree are either committed before this, or see it gone.
      const ns = await namespaceRepository.lockForDelete(tx, name);
      if (!ns) throw notFound(name);
      const contents = await namespaceRepository.contents(tx, name);
      if (contents.length > 0) {
        throw new ConflictError(`namespace ${name} still holds ${contents.join(", ")}; delete them first (children before parents)`, { dependents: contents });
      }
      const removed = await namespaceRepository.purgeSubtree(tx, name);
      await namespaceRepository.delete(tx, ns.id);
      await this.deps.audit.record(tx, {
        ...actor,
        action: "namespace.delete",
        resourceType: "namespace",
        resourceId: name,
        namespace: name,
        before: {
          ...namespaceView(ns),
          removedRoleBindings: removed.roleBindings,
          removedTriggerGrants: removed.triggerGrants,
          purgedDeletedFlows: removed.deletedFlows,
          purgedDeletedTables: removed.deletedTables,
          purgedExecutions: removed.executions,
        },
      });
    });
    this.deps.namespaces.invalidate();
    this.deps.authenticator.invalidate();
  }
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`namespace ${name} does not exist; list namespaces with GET /api/v1/namespaces`);
}

function unknownTeam(name: string): ValidationError {
  return new ValidationError(`team ${name} does not exist; create it first (POST /api/v1/teams)`, [{ pointer: "/ownerTeam", message: "unknown team" }]);
}
