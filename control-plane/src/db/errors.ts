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
/** The same for the flow statements' pool, which reports PostgreSQL's SQLSTATE or the socket's errno. */
const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "53300", "57P01", "57P02", "57P03"]);
const TRANSIENT_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);

/** A failure of the database rather than of the request: the caller may retry it as is. */
export function isTransientDatabaseError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === "string" ? e.code : typeof e?.cause?.code === "string" ? e.cause.code : "";
  if (TRANSIENT_PRISMA_CODES.has(code) || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_ERRNOS.has(code) || code.startsWith("08")) return true;
  // node-postgres says this, with no code, when the server goes away mid-query.
  return typeof e?.message === "string" && /^Connection terminated/.test(e.message);
}
