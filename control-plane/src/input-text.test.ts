import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inputTextProblems, invalidUtf8Offset } from "./input-text.ts";

const strict = new TextDecoder("utf-8", { fatal: true });
const decodes = (bytes: Uint8Array) => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe("invalidUtf8Offset", () => {
  it("agrees with a strict decoder, and the prefix before the offset decodes", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 8 }).map((s) => new Uint8Array(Buffer.from(s, "utf8"))),
      fc.tuple(fc.string({ maxLength: 4 }), fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([s, tail]) => new Uint8Array([...Buffer.from(s, "utf8"), ...tail])),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const offset = invalidUtf8Offset(b);
        expect(offset === -1).toBe(decodes(b));
        if (offset >= 0) expect(decodes(b.subarray(0, offset))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("inputTextProblems", () => {
  it("names NUL, unpaired surrogates, __proto__ keys, deep nesting and Infinity by pointer; paired surrogates pass", () => {
    const value = JSON.parse('{"a":"x\\u0000","b":["\\ud800"],"c":{"__proto__":1},"d/e":"\\udc00","ok":"😀","n":1e400}');
    expect(inputTextProblems(value).map((p) => p.pointer)).toEqual(["/a", "/b/0", "/c/__proto__", "/d~1e", "/n"]);
    const deep = JSON.parse(`${"[".repeat(100)}${"]".repeat(100)}`);
    expect(inputTextProblems(deep)).toEqual([expect.objectContaining({ message: "is nested deeper than 64 levels; flatten it" })]);
    expect(inputTextProblems({ source: "\u0000", other: "\u0000" }, ["/source"]).map((p) => p.pointer)).toEqual(["/other"]);
  });
});
