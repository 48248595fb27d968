import type { Prisma } from "../db/prisma.ts";
import type { Tx } from "./tx.ts";

export interface TableContractRow {
  id: string;
  namespace: string;
  dataset: string;
  table: string;
  schema: Prisma.JsonValue;
  feedType: string;
  keys: string[];
  description: string;
  labels: Prisma.JsonValue;
  version: string;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TableContractData {
  schema: Prisma.InputJsonValue;
  feedType: string;
  keys: string[];
  description: string;
  labels: Record<string, string>;
  version: string;
}

export interface TableKey {
  namespace: string;
  dataset: string;
  table: string;
}

/** The only code touching `table_contracts` (and reading `flow_table_refs` for dependents). */
export const tableContractRepository = {
  /**
   * Serialises writers of one dataset until the transaction ends: the rule "a dataset
   * belongs to one namespace" and the version check of a PUT read, then write, so two
   * concurrent PUTs must not both pass their check.
   */
  async lockDataset(tx: Tx, dataset: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`meshplane.table-dataset:${dataset}`}, 0))`;
  },

  /** Including a soft-deleted contract: a PUT re-creates it on the same row. */
  find: (tx: Tx, key: TableKey): Promise<TableContractRow | null> =>
    tx.tableContract.findUnique({ where: { namespace_dataset_table: key } }),

  findLive: (tx: Tx, key: TableKey): Promise<TableContractRow | null> => tx.tableContract.findFirst({ where: { ...key, deletedAt: null } }),

  /** Namespaces other than `namespace` holding live tables of `dataset`. */
  async otherNamespacesOfDataset(tx: Tx, dataset: string, namespace: string): Promise<string[]> {
    const rows = await tx.tableContract.findMany({
      where: { dataset, deletedAt: null, namespace: { not: namespace } },
      distinct: ["namespace"],
      select: { namespace: true },
      orderBy: { namespace: "asc" },
      take: 10,
    });
    return rows.map((r) => r.namespace);
  },

  /**
   * The namespaces holding live contracts in each of `datasets` (the datasets' claimants,
   * normally one each: a dataset belongs to one namespace). Unclaimed datasets are absent.
   */
  async datasetOwners(tx: Tx, datasets: readonly string[]): Promise<Map<string, string[]>> {
    const owners = new Map<string, string[]>();
    if (datasets.length === 0) return owners;
    // DISTINCT in the database: a dataset may hold hundreds of tables, and this runs on every flow PUT that writes.
    const rows = await tx.$queryRaw<{ dataset: string; namespace: string }[]>`
      SELECT DISTINCT dataset, namespace FROM table_contracts
      WHERE dataset = ANY(${[...new Set(datasets)]}::text[]) AND deleted_at IS NULL
      ORDER BY dataset, namespace`;
    for (const r of rows) (owners.get(r.dataset) ?? owners.set(r.dataset, []).get(r.dataset)!).push(r.namespace);
    return owners;
  },

  create: (tx: Tx, key: TableKey, data: TableContractData): Promise<TableContractRow> =>
    tx.tableContract.create({ data: { ...key, ...data } }),

  /** Also revives a soft-deleted row. */
  update: (tx: Tx, id: string, data: TableContractData & { revive?: boolean }): Promise<TableContractRow> => {
    const { revive, ...fields } = data;
    return tx.tableContract.update({
      where: { id },
      // A revived contract's warehouse table is recreated (warehouse/contract-sync.ts): NULL says so.
      data: { ...fields, updatedAt: new Date(), ...(revive ? { deletedAt: null, createdAt: new Date(), warehouseVersion: null, warehouseError: null } : {}) },
    });
  },

  /** Tells the process owning the warehouse that a contract changed (delivered at commit, warehouse/contract-sync.ts). */
  async notifyChanged(tx: Tx, key: TableKey): Promise<void> {
    await tx.$executeRaw`SELECT pg_notify('meshplane_contracts', ${`${key.namespace}/${key.dataset}.${key.table}`})`;
  },

  softDelete: (tx: Tx, id: string): Promise<TableContractRow> =>
    tx.tableContract.update({ where: { id }, data: { deletedAt: new Date(), updatedAt: new Date() } }),

  /** Live contracts of one namespace ordered by (dataset, table), after the keyset cursor. */
  list: (tx: Tx, namespace: string, filter: { dataset?: string }, after: { dataset: string; table: string } | undefined, take: number) =>
    tx.tableContract.findMany({
      where: {
        namespace,
        deletedAt: null,
        ...(filter.dataset ? { dataset: filter.dataset } : {}),
        ...(after ? { OR: [{ dataset: { gt: after.dataset } }, { dataset: after.dataset, table: { gt: after.table } }] } : {}),
      },
      orderBy: [{ dataset: "asc" }, { table: "asc" }],
      take,
    }),

  /** Live flows writing into `dataset` (any table) from a namespace not in `allowed`. */
  async writersOutside(tx: Tx, dataset: string, allowed: readonly string[], take: number): Promise<{ namespace: string; flowId: string }[]> {
    const rows = await tx.flowTableRef.findMany({
      where: { dataset, kind: "writes", flow: { deletedAt: null, namespace: { notIn: [...allowed] } } },
      select: { flow: { select: { namespace: true, flowId: true } } },
      orderBy: [{ flow: { namespace: "asc" } }, { flow: { flowId: "asc" } }, { table: "asc" }],
      take,
    });
    // One row per table written: a flow writing several tables of the dataset appears once.
    const flows = new Map(rows.map((r) => [`${r.flow.namespace}/${r.flow.flowId}`, r.flow]));
    return [...flows.values()];
  },

  /** Live flows, in any namespace, whose SQL reads `dataset.table`. */
  async readers(tx: Tx, dataset: string, table: string, take: number): Promise<{ namespace: string; flowId: string }[]> {
    const rows = await tx.flowTableRef.findMany({
      where: { dataset, table, kind: "reads", flow: { deletedAt: null } },
      select: { flow: { select: { namespace: true, flowId: true } } },
      orderBy: [{ flow: { namespace: "asc" } }, { flow: { flowId: "asc" } }],
      take,
    });
    return rows.map((r) => r.flow);
  },

  /**
   * The audit events of a table's contract writes and deletions, oldest first: the audit
   * log keeps every version the PUT stored (its `after`), so it is the version history.
   */
  async contractEvents(tx: Tx, resourceId: string, take: number): Promise<{ id: bigint; at: Date; action: string; subject: string; after: Prisma.JsonValue }[]> {
    const rows = await tx.auditEvent.findMany({
      where: { resourceType: "table", resourceId, action: { in: ["table.create", "table.update", "table.delete"] } },
      select: { id: true, at: true, action: true, subject: true, after: true },
      orderBy: { id: "desc" },
      take,
    });
    return rows.reverse();
  },
};
