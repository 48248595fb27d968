import { ValidationError } from "../errors.ts";

/**
 * `If-Match` is HTTP: the routes read it and hand the services a plain expected revision
 * or version, so that the scheduler and workers call the same services without a request.
 * Quotes and a weak `W/` prefix are tolerated.
 */
export function ifMatchValue(header: string | undefined): string | undefined {
  return header === undefined ? undefined : header.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

/** A flow's `If-Match`: `3`, `"3"`, `W/"3"` or `*`. */
export function ifMatchRevision(header: string | undefined): number | "*" | undefined {
  const value = ifMatchValue(header);
  if (value === undefined) return undefined;
  if (value === "*") return "*";
  if (/^\d{1,9}$/.test(value)) return Number(value);
  throw new ValidationError(`If-Match must be a flow revision (such as 3 or "3") or *; got ${JSON.stringify(header)}`, [{ pointer: "/headers/if-match", message: "invalid revision" }]);
}
