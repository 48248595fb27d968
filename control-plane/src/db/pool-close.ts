import type pg from "pg";

/**
 * pg's `Pool.end()` resolves once it has asked its connections to end, not once they
 * have: stopping the embedded PostgreSQL right after it terminated connections still
 * closing, and each logged a spurious "idle connection failed" warning. This waits for
 * every connection the pool opened to be gone (its `remove` event), at most `maxWaitMs`.
 * Call it on a pool right after creating it; it answers the function that closes it.
 */
export function closerOf(pool: pg.Pool, maxWaitMs = 2_000): () => Promise<void> {
  let open = 0;
  let drained: (() => void) | undefined;
  pool.on("connect", () => void open++);
  pool.on("remove", () => {
    open--;
    if (open <= 0) drained?.();
  });
  return async () => {
    const closed = open <= 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
    await pool.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)))]);
    clearTimeout(timer);
  };
}
