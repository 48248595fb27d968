import { ValidationError } from "../errors.ts";

/**
 * `If-Match` is HTTP: the routes read it and hand the services a plain expected revision
 * or version, so that the scheduler and workers call the same services without a request.
 * Quotes and a weak `W/` prefix are tolerated.
 */
export function ifMatchValue(header: string | undefined): string | undefined {
  return header === undefined ? undefined : header.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

/**
 * The write precondition of a PUT: `If-Match` (a revision/version, or `*` = it must exist)
 * or `If-None-Match: *` (it must not exist: a create never silently adopts an object
 * someone else made). Both at once contradict each other.
 */
export function ifNoneMatchAbsent(headers: Readonly<Record<string, string | undefined>>): boolean {
  const value = headers["if-none-match"];
  if (value === undefined) return false;
  if (headers["if-match"] !== undefined) {
    throw new ValidationError("If-Match and If-None-Match cannot both be given; send If-None-Match: * to create only, If-Match to update only", [{ pointer: "/headers/if-none-match", message: "give one precondition" }]);
  }
  if (value.trim() !== "*") {
    throw new ValidationError(`If-None-Match on a PUT must be * (create only if it does not exist); got ${JSON.stringify(value)}`, [{ pointer: "/headers/if-none-match", message: "must be *" }]);
  }
  return true;
}

/** A flow's `If-Match`: `3`, `"3"`, `W/"3"` or `*`. */
export function ifMatchRevision(header: string | undefined): number | "*" | undefined {
  const value = ifMatchValue(header);
  if (value === undefined) return undefined;
  if (value === "*") return "*";
  if (/^\d{1,9}$/.test(value)) return Number(value);
  throw new ValidationError(`If-Match must be a flow revision (such as 3 or "3") or *; got ${JSON.stringify(header)}`, [{ pointer: "/headers/if-match", message: "invalid revision" }]);
}
