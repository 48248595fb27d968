/**
 * RFC 6901 JSON pointers: where in a document a problem is (the API's problem details,
 * the flow parser, input checks, the modules' JSON scanner, the provider's mapping of
 * a pointer back to a Terraform attribute).
 */

/** One reference token: `~` → `~0`, `/` → `~1` (in that order). */
export function escapePointerToken(token: string | number): string {
  return String(token).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** `base` followed by each segment: pointerOf("", "a/b", 0) is "/a~1b/0". */
export function pointerOf(base: string, ...segments: readonly (string | number)[]): string {
  let out = base;
  for (const s of segments) out += `/${escapePointerToken(s)}`;
  return out;
}

/** The reference tokens of a pointer ("" is the whole document): "/a~1b/0" → ["a/b", "0"]. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}
