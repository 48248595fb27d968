// The JSON half of the wire format: UpgradeResourceState's raw_state (the stored
// state) and DynamicValue.json. JSON.parse would round numbers beyond 2^53 and
// 512-bit decimals, so this parser keeps every number's text until the schema
// says what it is.
import { DynamicValue, newMap, numberFromText, WireValueError, type TfType } from "./types.ts";

class NumberText {
  constructor(readonly text: string) {}
}
type Json = null | boolean | string | NumberText | Json[] | { [k: string]: Json };

/** Decodes JSON bytes of a value of type `type`. Attributes the type lacks are dropped. */
export function decodeJson(bytes: Uint8Array | string, type: TfType): unknown {
  const text = typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes);
  if (text.trim() === "") return null;
  return fromJson(parseJson(text), type, []);
}

function fromJson(v: Json, type: TfType, path: (string | number)[]): unknown {
  if (v === null) return null;
  if (type === "string") {
    if (typeof v === "string") return v;
    // Terraform's own JSON decoder converts primitive values to strings.
    if (v instanceof NumberText) return v.text;
    if (typeof v === "boolean") return String(v);
    throw new WireValueError("expected a string", path);
  }
  if (type === "number") {
    if (v instanceof NumberText) return numberFromText(v.text);
    if (typeof v === "string") return numberFromText(v);
    throw new WireValueError("expected a number", path);
  }
  if (type === "bool") {
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw new WireValueError("expected a bool", path);
  }
  if (type === "dynamic") {
    if (!isRecord(v) || !("type" in v)) throw new WireValueError("a dynamic value must be {type, value}", path);
    const concrete = toPlainType(v.type ?? null);
    return new DynamicValue(concrete, fromJson(v.value ?? null, concrete, path));
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set" || kind === "tuple") {
    if (!Array.isArray(v)) throw new WireValueError(`expected a ${kind}`, path);
    return v.map((el, i) => fromJson(el, kind === "tuple" ? inner[i] ?? "dynamic" : inner, [...path, i]));
  }
  if (!isRecord(v)) throw new WireValueError(`expected a ${kind}`, path);
  if (kind === "map") {
    const out = newMap();
    for (const k of Object.keys(v)) out[k] = fromJson(v[k]!, inner, [...path, k]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(inner)) {
    out[name] = Object.hasOwn(v, name) ? fromJson(v[name]!, inner[name]!, [...path, name]) : null;
  }
  return out;
}

function isRecord(v: Json): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof NumberText);
}

function toPlainType(v: Json): TfType {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof NumberText ? Number(x.text) : x))) as TfType;
}

/** A strict JSON parser (RFC 8259) whose objects have no prototype and whose numbers stay text. */
export function parseJson(text: string): Json {
  let i = 0;
  const fail = (what: string): never => {
    throw new WireValueError(`invalid JSON: ${what} at offset ${i}`, []);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj = newMap<Json>() as { [k: string]: Json };
      ws();
      if (text[i] === "}") { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const key = string();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        obj[key] = value();
        ws();
        const sep = text[i++];
        if (sep === "}") return obj;
        if (sep !== ",") fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: Json[] = [];
      ws();
      if (text[i] === "]") { i++; return arr; }
      for (;;) {
        arr.push(value());
        ws();
        const sep = text[i++];
        if (sep === "]") return arr;
        if (sep !== ",") fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) { i += 4; return true; }
    if (text.startsWith("false", i)) { i += 5; return false; }
    if (text.startsWith("null", i)) { i += 4; return null; }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 1000));
    if (!m) return fail("unexpected character");
    i += m[0].length;
    return new NumberText(m[0]);
  };
  const string = (): string => {
    // Find the closing quote, then let JSON.parse do the escapes.
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const result = value();
  ws();
  if (i !== text.length) fail("trailing characters");
  return result;
}
