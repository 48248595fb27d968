/** Prisma's unique violation (P2002); with driver adapters `meta.target` is empty. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === "P2002" || e?.code === "23505" || e?.cause?.code === "23505";
}

/** A foreign key or restrict violation: something still refers to the row. */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === "P2003" || e?.code === "23503" || e?.cause?.code === "23503";
}

/**
 * Prisma's codes for a database that is unreachable, dropped the connection, timed out,
 * or gave up on a transaction (its timeout, a deadlock, a serialization conflict, too many
 * connections): nothing about the request itself was wrong.
 */
const TRANSIENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034", "P2037"]);
/**
 * PostgreSQL's SQLSTATEs for the same, as the flow statements' pool reports them (Prisma
 * carries them in meta.driverAdapterError.cause). 57014: a statement ran past
 * statement_timeout (MESHPLANE_STATEMENT_TIMEOUT_MS) and PostgreSQL cancelled it —
 * the request was within the flow limits, so the database was busy (a lock, load), as
 * with a pool timeout. Class 53 (insufficient resources): too many connections, out of
 * memory or disk, temp_file_limit.
 */
const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "57014", "57P01", "57P02", "57P03"]);
const TRANSIENT_SQLSTATE_CLASSES = ["08", "53"];
const TRANSIENT_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);

/** A failure of the database rather than of the request: the caller may retry it as is. */
export function isTransientDatabaseError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown }; meta?: { driverAdapterError?: { cause?: { code?: unknown } } } } | undefined;
  const code = typeof e?.code === "string" ? e.code : typeof e?.cause?.code === "string" ? e.cause.code : "";
  if (TRANSIENT_PRISMA_CODES.has(code) || TRANSIENT_ERRNOS.has(code)) return true;
  // A Prisma error (P2010 raw, P2039 model…) around PostgreSQL's own code, or pg's error itself.
  const sqlstate = e?.meta?.driverAdapterError?.cause?.code;
  for (const state of [code, typeof sqlstate === "string" ? sqlstate : ""]) {
    if (TRANSIENT_SQLSTATES.has(state) || TRANSIENT_SQLSTATE_CLASSES.some((c) => state.startsWith(c))) return true;
  }
  // node-postgres says this, with no code, when the server goes away mid-query.
  return typeof e?.message === "string" && /^Connection terminated/.test(e.message);
}
