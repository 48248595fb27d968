/**
 * A strict JSON scanner (RFC 8259) that gives what JSON.parse does not: the exact
 * position of a syntax error (Node's messages only sometimes carry one), refusal of
 * duplicate keys (JSON.parse silently keeps the last), and the offset where every value
 * starts, by JSON pointer, so semantic errors in schema.json can name line and column.
 */
import { pointerOf } from "@meshplane/rules";

export interface JsonScan {
  readonly value: unknown;
  /** JSON pointer ("" for the root, "/schema/fields/0/type") → offset where that value starts. */
  readonly positions: ReadonlyMap<string, number>;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly problem: string,
    readonly offset: number,
  ) {
    super(`${problem} at offset ${offset}`);
    this.name = "JsonSyntaxError";
  }
}

export function scanJson(text: string): JsonScan {
  const positions = new Map<string, number>();
  let i = 0;
  const fail = (problem: string, at = i): never => {
    throw new JsonSyntaxError(i >= text.length && at >= text.length ? "unexpected end of file" : problem, at);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const show = (c: string | undefined) => (c === undefined ? "end of file" : JSON.stringify(c));

  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail("control character in a string (escape it, e.g. \\n)");
      if (text[i] === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape: expected 4 hex digits");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`invalid escape \\${e ?? ""} in a string`);
      } else i++;
    }
    if (i >= text.length) fail("unterminated string", start);
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };

  const value = (pointer: string): unknown => {
    ws();
    positions.set(pointer, i);
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a "quoted" property name, found ${show(text[i])}`);
        const keyAt = i;
        const key = string();
        if (Object.hasOwn(obj, key)) fail(`duplicate property "${key}"`, keyAt);
        ws();
        if (text[i] !== ":") fail(`expected ':' after a property name, found ${show(text[i])}`);
        i++;
        obj[key] = value(pointerOf(pointer, key));
        ws();
        if (text[i] === ",") {
          const comma = i++;
          ws();
          if (text[i] === "}") fail("trailing comma before '}'", comma);
        } else if (text[i] === "}") {
          i++;
          return obj;
        } else fail(`expected ',' or '}' after a property value, found ${show(text[i])}`);
      }
    }
    if (c === "[") {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${pointer}/${arr.length}`));
        ws();
        if (text[i] === ",") {
          const comma = i++;
          ws();
          if (text[i] === "]") fail("trailing comma before ']'", comma);
        } else if (text[i] === "]") {
          i++;
          return arr;
        } else fail(`expected ',' or ']' after an array element, found ${show(text[i])}`);
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (num && num[0] !== "-") {
      i += num[0].length;
      return Number(num[0]);
    }
    return fail(`unexpected ${show(c)}: expected a JSON value (object, array, string, number, true, false or null)`);
  };

  const result = value("");
  ws();
  if (i < text.length) fail(`unexpected ${show(text[i])} after the end of the JSON value`);
  return { value: result, positions };
}
