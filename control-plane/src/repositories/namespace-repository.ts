import { selfAndAncestors } from "../authz/roles.ts";
import type { Prisma } from "../db/prisma.ts";
import { literalPrefix } from "./like.ts";
import type { Tx } from "./tx.ts";

export interface NamespaceRow {
  id: string;
  name: string;
  description: string;
  labels: Prisma.JsonValue;
  createdAt: Date;
  updatedAt: Date;
  ownerTeam: { id: string; name: string };
}

const withOwner = { ownerTeam: { select: { id: true, name: true } } } as const;

export const namespaceRepository = {
  create: (tx: Tx, data: { name: string; ownerTeamId: string; description: string; labels: Record<string, string> }): Promise<NamespaceRow> =>
    tx.namespace.create({ data, include: withOwner }),

  findByName: (tx: Tx, name: string): Promise<NamespaceRow | null> => tx.namespace.findUnique({ where: { name }, include: withOwner }),

  list: (tx: Tx, filter: { prefix?: string; ownerTeam?: string }, after: string | undefined, take: number): Promise<NamespaceRow[]> =>
    tx.namespace.findMany({
      where: {
        ...(after ? { name: { gt: after } } : {}),
        ...(filter.prefix ? { OR: [{ name: filter.prefix }, { name: { startsWith: literalPrefix(`${filter.prefix}.`) } }] } : {}),
        ...(filter.ownerTeam ? { ownerTeam: { name: filter.ownerTeam } } : {}),
      },
      orderBy: { name: "asc" },
      take,
      include: withOwner,
    }),

  update: (
    tx: Tx,
    id: string,
    data: { description?: string; labels?: Record<string, string>; ownerTeamId?: string },
  ): Promise<NamespaceRow> => tx.namespace.update({ where: { id }, data, include: withOwner }),

  delete: (tx: Tx, id: string) => tx.namespace.delete({ where: { id } }),

  /** Creation times of the registered namespaces at or above `name`, and below it. */
  async lineage(tx: Tx, name: string): Promise<{ above: { name: string; createdAt: Date }[]; below: { name: string; createdAt: Date }[] }> {
    const [above, below] = await Promise.all([
      tx.namespace.findMany({ where: { name: { in: selfAndAncestors(name) } }, select: { name: true, createdAt: true } }),
      tx.namespace.findMany({ where: { name: { startsWith: `${literalPrefix(name)}.` } }, select: { name: true, createdAt: true } }),
    ]);
    return { above, below };
  },

  /**
   * Takes the namespace row for deletion (FOR UPDATE) and answers it, or null if it is
   * gone. Every write into the namespace's subtree holds its row FOR KEY SHARE in the
   * same statement or transaction (holdGoverning, put-flow.sql): deletion waits for them
   * and they, once it has committed, find the row gone — so no write lands in a subtree
   * whose namespace has just been deleted.
   */
  async lockForDelete(tx: Tx, name: string): Promise<NamespaceRow | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM namespaces WHERE name = ${name} FOR UPDATE`;
    return locked.length === 0 ? null : tx.namespace.findUnique({ where: { name }, include: withOwner });
  },

  /**
   * Holds the namespaces that govern a write (the ones its permission came from) until
   * the transaction ends, so a concurrent deletion waits for the write or the write sees
   * the deletion. Answers those that are gone.
   */
  async holdGoverning(tx: Tx, names: readonly string[]): Promise<string[]> {
    const held = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM namespaces WHERE name = ANY(${[...names]}::text[]) FOR KEY SHARE`;
    const present = new Set(held.map((r) => r.name));
    return names.filter((n) => !present.has(n));
  },

  /**
   * What keeps a namespace from being deleted: registered child namespaces, live flows
   * and tables anywhere in its subtree (they would be left with no owner), and executions
   * there that have not ended (their workers would write into a purged namespace). With no
   * registered child, the whole subtree is the part this namespace governs.
   */
  async contents(tx: Tx, name: string): Promise<string[]> {
    const subtree = inSubtree(name);
    const [children, flows, tables, executions] = await Promise.all([
      tx.namespace.findMany({ where: { name: { startsWith: `${literalPrefix(name)}.` } }, select: { name: true }, take: 20 }),
      tx.flow.findMany({ where: { ...subtree, deletedAt: null }, select: { namespace: true, flowId: true }, take: 20 }),
      tx.tableContract.findMany({ where: { ...subtree, deletedAt: null }, select: { namespace: true, dataset: true, table: true }, take: 20 }),
      tx.execution.findMany({ where: { ...subtree, endedAt: null }, select: { id: true, namespace: true, flowId: true, state: true }, take: 20 }),
    ]);
    return [
      ...children.map((c) => `namespace ${c.name}`),
      ...flows.map((f) => `flow ${f.namespace}/${f.flowId}`),
      ...tables.map((t) => `table ${t.namespace}/${t.dataset}.${t.table}`),
      ...executions.map((e) => `execution ${e.id} of ${e.namespace}/${e.flowId} (${e.state}; kill it or let it end)`),
    ];
  },

  /**
   * Everything the subtree still holds goes with the namespace, so a namespace created
   * again under that name inherits nothing: role bindings and trigger grants (either
   * side) on it or any namespace below, its soft-deleted flows (with their revisions,
   * by cascade) and table contracts, and its ended executions (with their task runs, events
   * and logs, by cascade). Called only once `contents` found no live ones.
   */
  async purgeSubtree(tx: Tx, name: string): Promise<{ roleBindings: number; triggerGrants: number; deletedFlows: number; deletedTables: number; executions: number }> {
    const bindings = await tx.roleBinding.deleteMany({ where: inSubtree(name) });
    const grants = await tx.triggerGrant.deleteMany({
      where: { OR: [inSubtree(name, "upstreamNamespace"), inSubtree(name, "downstreamNamespace")] },
    });
    const flows = await tx.flow.deleteMany({ where: { ...inSubtree(name), deletedAt: { not: null } } });
    const tables = await tx.tableContract.deleteMany({ where: { ...inSubtree(name), deletedAt: { not: null } } });
    const executions = await tx.execution.deleteMany({ where: inSubtree(name) });
    return { roleBindings: bindings.count, triggerGrants: grants.count, deletedFlows: flows.count, deletedTables: tables.count, executions: executions.count };
  },
};

/** `field` is `name` or one of its descendants. */
function inSubtree<F extends string = "namespace">(name: string, field: F = "namespace" as F) {
  return { OR: [{ [field]: name }, { [field]: { startsWith: `${literalPrefix(name)}.` } }] } as { OR: Record<F, string | { startsWith: string }>[] };
}
