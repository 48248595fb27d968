/**
 * Prisma's `startsWith` becomes `LIKE '<value>%'` without escaping the value, and `_`
 * (legal in namespace names) is LIKE's one-character wildcard: `startsWith: "a.sales_eu."`
 * also matched `a.salesxeu.…`. Escape LIKE's wildcards (PostgreSQL's default escape
 * character is the backslash) before handing a prefix to `startsWith`.
 */
export function literalPrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}
