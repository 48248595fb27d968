// The msgpack half of Terraform's DynamicValue wire format, driven by the schema's
// type so that: numbers sent as strings come back as numbers, sets/lists/tuples and
// maps/objects are told apart, every extension type is an unknown, and a map key
// `__proto__` is an ordinary key. (@msgpack/msgpack refuses `__proto__` keys and
// cannot tell a number-as-string from a string, hence a codec of our own.)
import { BigDecimal, DynamicValue, newMap, numberFromText, Unknown, UNKNOWN, WireValueError, type TfType } from "./types.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes msgpack bytes of a value of type `type`. Empty bytes are null. */
export function decodeMsgpack(bytes: Uint8Array, type: TfType): unknown {
  if (bytes.length === 0) return null;
  const reader = new Reader(bytes);
  const value = reader.value(type, []);
  if (reader.pos !== bytes.length) throw new WireValueError("trailing bytes after msgpack value", []);
  return value;
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new WireValueError("msgpack value ends early", []);
    return this.buf[this.pos++]!;
  }
  private take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new WireValueError("msgpack value ends early", []);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** Moves past `n` bytes and returns where they start. */
  private reserve(n: number): number {
    if (this.pos + n > this.buf.length) throw new WireValueError("msgpack value ends early", []);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  private u16(): number { return this.view.getUint16(this.reserve(2)); }
  private u32(): number { return this.view.getUint32(this.reserve(4)); }

  /** Reads an extension (an unknown) or nil if one is next; otherwise returns `NOT_SPECIAL`. */
  private special(): unknown {
    const b = this.buf[this.pos];
    if (b === 0xc0) { this.pos++; return null; }
    let len: number | undefined;
    if (b !== undefined && b >= 0xd4 && b <= 0xd8) { this.pos++; len = 1 << (b - 0xd4); }
    else if (b === 0xc7) { this.pos++; len = this.byte(); }
    else if (b === 0xc8) { this.pos++; len = this.u16(); }
    else if (b === 0xc9) { this.pos++; len = this.u32(); }
    if (len === undefined) return NOT_SPECIAL;
    const extType = (this.byte() << 24) >> 24; // signed int8
    const data = this.take(len);
    // Every extension type means "unknown"; type 12 carries refinements we echo back.
    return extType === 0 ? UNKNOWN : new Unknown({ type: extType, data: data.slice() });
  }

  value(type: TfType, path: (string | number)[]): unknown {
    const s = this.special();
    if (s !== NOT_SPECIAL) return s;
    if (type === "string") return this.str(path);
    if (type === "number") return this.num(path);
    if (type === "bool") {
      const b = this.byte();
      if (b === 0xc2) return false;
      if (b === 0xc3) return true;
      throw new WireValueError(`expected a bool, found msgpack 0x${b.toString(16)}`, path);
    }
    if (type === "dynamic") {
      if (this.arrayLength(path) !== 2) throw new WireValueError("a dynamic value must be [type, value]", path);
      const typeJson = this.binOrStr(path);
      const concrete = JSON.parse(typeJson) as TfType;
      return new DynamicValue(concrete, this.value(concrete, path));
    }
    const [kind, inner] = type;
    if (kind === "list" || kind === "set") {
      const n = this.arrayLength(path);
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = this.value(inner, [...path, i]);
      return out;
    }
    if (kind === "tuple") {
      const n = this.arrayLength(path);
      if (n !== inner.length) throw new WireValueError(`expected a tuple of ${inner.length}, found ${n}`, path);
      return inner.map((t, i) => this.value(t, [...path, i]));
    }
    const n = this.mapLength(path);
    if (kind === "map") {
      const out = newMap();
      for (let i = 0; i < n; i++) {
        const key = this.str(path);
        out[key] = this.value(inner, [...path, key]);
      }
      return out;
    }
    // object: attributes the schema does not know are skipped, missing ones are null.
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(inner)) out[name] = null;
    for (let i = 0; i < n; i++) {
      const key = this.str(path);
      const attrType = Object.hasOwn(inner, key) ? inner[key] : undefined;
      if (attrType === undefined) this.skip();
      else out[key] = this.value(attrType, [...path, key]);
    }
    return out;
  }

  private str(path: (string | number)[]): string {
    const b = this.byte();
    let len: number;
    if (b >= 0xa0 && b <= 0xbf) len = b - 0xa0;
    else if (b === 0xd9) len = this.byte();
    else if (b === 0xda) len = this.u16();
    else if (b === 0xdb) len = this.u32();
    else throw new WireValueError(`expected a string, found msgpack 0x${b.toString(16)}`, path);
    return utf8.decode(this.take(len));
  }

  private binOrStr(path: (string | number)[]): string {
    const b = this.buf[this.pos];
    if (b === 0xc4 || b === 0xc5 || b === 0xc6) {
      this.pos++;
      const len = b === 0xc4 ? this.byte() : b === 0xc5 ? this.u16() : this.u32();
      return utf8.decode(this.take(len));
    }
    return this.str(path);
  }

  private num(path: (string | number)[]): number | bigint | BigDecimal {
    const b = this.byte();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    switch (b) {
      case 0xcc: return this.byte();
      case 0xcd: return this.u16();
      case 0xce: return this.u32();
      case 0xcf: return smallest(this.view.getBigUint64(this.reserve(8)));
      case 0xd0: return this.view.getInt8(this.reserve(1));
      case 0xd1: return this.view.getInt16(this.reserve(2));
      case 0xd2: return this.view.getInt32(this.reserve(4));
      case 0xd3: return smallest(this.view.getBigInt64(this.reserve(8)));
      case 0xca: return this.view.getFloat32(this.reserve(4));
      case 0xcb: return this.view.getFloat64(this.reserve(8));
    }
    this.pos--;
    const text = this.str(path);
    try {
      return numberFromText(text);
    } catch {
      throw new WireValueError(`expected a number, found the string ${JSON.stringify(text)}`, path);
    }
  }

  private arrayLength(path: (string | number)[]): number {
    const b = this.byte();
    if (b >= 0x90 && b <= 0x9f) return b - 0x90;
    if (b === 0xdc) return this.u16();
    if (b === 0xdd) return this.u32();
    throw new WireValueError(`expected an array, found msgpack 0x${b.toString(16)}`, path);
  }

  private mapLength(path: (string | number)[]): number {
    const b = this.byte();
    if (b >= 0x80 && b <= 0x8f) return b - 0x80;
    if (b === 0xde) return this.u16();
    if (b === 0xdf) return this.u32();
    throw new WireValueError(`expected a map, found msgpack 0x${b.toString(16)}`, path);
  }

  /** Skips one value of any shape (an attribute this schema does not know). */
  private skip(): void {
    const b = this.byte();
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) return;
    if (b >= 0x80 && b <= 0x8f) return this.skipN((b - 0x80) * 2);
    if (b >= 0x90 && b <= 0x9f) return this.skipN(b - 0x90);
    if (b >= 0xa0 && b <= 0xbf) { this.take(b - 0xa0); return; }
    const fixed: Record<number, number> = { 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8, 0xca: 4, 0xcb: 8, 0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17 };
    if (fixed[b] !== undefined) { this.take(fixed[b]!); return; }
    switch (b) {
      case 0xc4: case 0xd9: this.take(this.byte()); return;
      case 0xc5: case 0xda: this.take(this.u16()); return;
      case 0xc6: case 0xdb: this.take(this.u32()); return;
      case 0xc7: { const n = this.byte(); this.take(n + 1); return; }
      case 0xc8: { const n = this.u16(); this.take(n + 1); return; }
      case 0xc9: { const n = this.u32(); this.take(n + 1); return; }
      case 0xdc: return this.skipN(this.u16());
      case 0xdd: return this.skipN(this.u32());
      case 0xde: return this.skipN(this.u16() * 2);
      case 0xdf: return this.skipN(this.u32() * 2);
    }
    throw new WireValueError(`invalid msgpack byte 0x${b.toString(16)}`, []);
  }
  private skipN(n: number): void {
    for (let i = 0; i < n; i++) this.skip();
  }
}

const NOT_SPECIAL = Symbol("not nil or extension");

function smallest(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
