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
