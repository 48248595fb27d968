import type { FieldProblem } from "../errors.ts";

/** Small helpers for walking untrusted JSON while reporting problems by JSON pointer. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 6901: appends segments to a pointer, escaping `~` and `/` (@meshplane/rules). */
export { pointerOf } from "@meshplane/rules";

/**
 * An int64 as the REST API prints it (a decimal string), also accepting a JSON number.
 * Canonical form: no leading zeros, no plus sign. Null (and a problem) when invalid.
 */
export function int64(value: unknown, pointer: string, problems: FieldProblem[], min?: bigint, max?: bigint): string | null {
  let n: bigint | null = null;
  if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === "string" && /^-?\d{1,19}$/.test(value.trim())) n = BigInt(value.trim());
  const range = min !== undefined && max !== undefined ? ` between ${min} and ${max}` : min !== undefined ? ` of at least ${min}` : "";
  if (n === null || n > 9223372036854775807n || n < -9223372036854775808n) {
    problems.push({ pointer, message: `must be an integer${range} (a JSON number or a decimal string such as "10")` });
    return null;
  }
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    problems.push({ pointer, message: `must be an integer${range}; got ${n}` });
    return null;
  }
  return n.toString();
}

/** The candidate within edit distance 2 of `key` (case-insensitive), for "did you mean". */
export function closeMatch(key: string, candidates: readonly string[]): string | null {
  if (key.length < 5) return null;
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate ?? null;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
