import type pg from "pg";
import type { TableSchema } from "../tables/bq-types.ts";

export const CONTRACTS_CHANNEL = "meshplane_contracts";

export interface PendingContract {
  readonly id: string;
  readonly namespace: string;
  readonly dataset: string;
  readonly table: string;
  readonly version: string;
  readonly schema: TableSchema;
  readonly feedType: string;
  readonly keys: string[];
  /** What the warehouse has (null: nothing yet, or a revived contract). */
  readonly warehouseVersion: string | null;
  readonly warehouseError: string | null;
}

const COLUMNS = `id, namespace, dataset, "table", version, schema, feed_type AS "feedType", keys, warehouse_version AS "warehouseVersion", warehouse_error AS "warehouseError"`;

/** The warehouse's side of `table_contracts` (warehouse/contract-sync.ts): what is applied, what failed. */
export class WarehouseContractRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Live contracts whose current version the warehouse does not have yet. */
  async pending(): Promise<PendingContract[]> {
    const { rows } = await this.pool.query<PendingContract>(
      `SELECT ${COLUMNS} FROM table_contracts WHERE deleted_at IS NULL AND warehouse_version IS DISTINCT FROM version ORDER BY dataset, "table"`,
    );
    return rows;
  }

  /** The live contract of `dataset.table` (a dataset belongs to one namespace), for loads. */
  async liveByTable(dataset: string, table: string): Promise<PendingContract | null> {
    const { rows } = await this.pool.query<PendingContract>(`SELECT ${COLUMNS} FROM table_contracts WHERE deleted_at IS NULL AND dataset = $1 AND "table" = $2 LIMIT 1`, [dataset, table]);
    return rows[0] ?? null;
  }

  async state(key: { namespace: string; dataset: string; table: string }): Promise<PendingContract | null> {
    const { rows } = await this.pool.query<PendingContract>(
      `SELECT ${COLUMNS} FROM table_contracts WHERE deleted_at IS NULL AND namespace = $1 AND dataset = $2 AND "table" = $3`,
      [key.namespace, key.dataset, key.table],
    );
    return rows[0] ?? null;
  }

  /** Only if the contract is still at that version: a PUT in between leaves it pending. */
  async markApplied(id: string, version: string): Promise<void> {
    await this.pool.query(`UPDATE table_contracts SET warehouse_version = $2, warehouse_error = NULL WHERE id = $1 AND version = $2`, [id, version]);
  }

  async markFailed(id: string, version: string, error: string): Promise<void> {
    await this.pool.query(`UPDATE table_contracts SET warehouse_error = $3 WHERE id = $1 AND version = $2`, [id, version, error]);
  }
}
