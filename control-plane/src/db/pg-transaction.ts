import type pg from "pg";

/**
 * Runs `work` in one transaction on one connection of a `pg` pool: COMMIT when it
 * returns, ROLLBACK when it throws. A connection whose ROLLBACK failed is in an unknown
 * state, so it is released as broken and the pool drops it.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    try {
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollback: Error) => (broken = rollback));
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
