import { pointerOf } from "@meshplane/rules";
import { ValidationError } from "./errors.ts";

/**
 * The one rule for text that comes in (JSON bodies, query strings, path parameters, flow
 * YAML): it must be storable as it was sent, or it is refused with the pointer of the
 * value. PostgreSQL refuses NUL in `text` and `jsonb` and unpaired UTF-16 surrogates in
 * `jsonb`, and the driver turns an unpaired surrogate of a `text` value into U+FFFD: the
 * first two were 500s, the last a silent change. `__proto__` as a key is refused too:
 * JavaScript objects drop it (zod's records, spreads), so it would vanish from labels
 * while staying in a stored YAML source. Nesting is bounded so that no later recursive
 * walk (ours, JSON.stringify, PostgreSQL's jsonb parser) can run out of stack, and a
 * number too large for a double (read as Infinity, written back as null) is refused.
 */
export const TEXT_PROBLEM = "text may not contain NUL (U+0000) or unpaired surrogates (such as \\u0000 or \\ud800); remove the character";
export const PROTO_KEY_PROBLEM = "`__proto__` is not accepted as a key (JavaScript objects drop it); rename it";
export const MAX_INPUT_DEPTH = 64;
/** Problems listed at most in one answer: a body full of NULs must not make a huge one. */
const MAX_PROBLEMS = 20;

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The index of the first NUL or unpaired surrogate of `text`, or -1. */
export function unstorableIndex(text: string): number {
  return UNSTORABLE.exec(text)?.index ?? -1;
}

export interface TextProblem {
  readonly path: readonly (string | number)[];
  /** The same as a JSON pointer (RFC 6901). */
  readonly pointer: string;
  /** Whether the key at `path` is the problem, or its value. */
  readonly at: "key" | "value";
  readonly message: string;
}

/**
 * Every string and key of a parsed JSON (or YAML) value that breaks the rule, by path.
 * `skip` holds JSON pointers of strings a parser of their own checks (the flow source).
 */
export function inputTextProblems(value: unknown, skip: readonly string[] = []): TextProblem[] {
  const problems: TextProblem[] = [];
  const walk = (v: unknown, path: (string | number)[], pointer: string): void => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (typeof v === "string") {
      if (!skip.includes(pointer) && UNSTORABLE.test(v)) problems.push({ path, pointer, at: "value", message: TEXT_PROBLEM });
      return;
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      // JSON.parse reads 1e400 as Infinity, which JSON.stringify then writes as null.
      problems.push({ path, pointer, at: "value", message: "is a number beyond ±1.7976931348623157e308; send it as a string" });
      return;
    }
    if (v === null || typeof v !== "object") return;
    if (path.length >= MAX_INPUT_DEPTH) {
      problems.push({ path, pointer, at: "value", message: `is nested deeper than ${MAX_INPUT_DEPTH} levels; flatten it` });
      return;
    }
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    for (const [key, child] of entries) {
      const childPath = [...path, key];
      const childPointer = pointerOf(pointer, key);
      if (typeof key === "string" && (key === "__proto__" || UNSTORABLE.test(key))) {
        problems.push({ path: childPath, pointer: childPointer, at: "key", message: key === "__proto__" ? PROTO_KEY_PROBLEM : `the key: ${TEXT_PROBLEM}` });
        continue;
      }
      walk(child, childPath, childPointer);
    }
  };
  walk(value, [], "");
  return problems;
}

/**
 * The offset of the first byte that is not part of a well-formed UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or -1.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The lead byte decides the length and the allowed range of the second byte.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}

/**
 * body-parser's `verify` hook, run on the raw bytes before they are decoded: a body that
 * is not valid UTF-8 is refused rather than stored with U+FFFD in place of its bytes.
 * Other declared charsets (text bodies may name one) are decoded as declared.
 */
export function refuseInvalidUtf8(_req: unknown, _res: unknown, bytes: Buffer, encoding: string): void {
  if (encoding && !/^utf-?8$/i.test(encoding)) return;
  const offset = invalidUtf8Offset(bytes);
  if (offset < 0) return;
  const byte = `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")}`;
  throw new ValidationError(
    `the body is not valid UTF-8: byte ${offset} (${byte}) does not begin or continue a UTF-8 sequence; send the text encoded as UTF-8`,
    [{ pointer: "", message: `invalid UTF-8 at byte offset ${offset}` }],
  );
}
