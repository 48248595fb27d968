// Encodes provider values into msgpack for Terraform, following the schema type so
// that every object attribute is present (Terraform rejects objects with missing
// attributes) and numbers keep their exact value (int64, float64 or decimal text).
import { BigDecimal, DynamicValue, numberFromText, Unknown, WireValueError, type TfType } from "./types.ts";

const utf8 = new TextEncoder();
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

export function encodeMsgpack(value: unknown, type: TfType): Uint8Array {
  const w = new Writer();
  w.value(value, type, []);
  return w.result();
}

class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;

  result(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  private u8(b: number): void { this.ensure(1); this.buf[this.pos++] = b; }
  private u16(v: number): void { this.ensure(2); this.view.setUint16(this.pos, v); this.pos += 2; }
  private u32(v: number): void { this.ensure(4); this.view.setUint32(this.pos, v); this.pos += 4; }
  private bytes(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.pos); this.pos += b.length; }

  value(v: unknown, type: TfType, path: (string | number)[]): void {
    if (v === null || v === undefined) return this.u8(0xc0);
    if (v instanceof Unknown) return this.unknown(v);
    if (type === "string") {
      if (typeof v !== "string") throw new WireValueError(`expected a string, got ${describe(v)}`, path);
      return this.str(v);
    }
    if (type === "number") return this.num(v, path);
    if (type === "bool") {
      if (typeof v !== "boolean") throw new WireValueError(`expected a bool, got ${describe(v)}`, path);
      return this.u8(v ? 0xc3 : 0xc2);
    }
    if (type === "dynamic") {
      if (!(v instanceof DynamicValue)) throw new WireValueError("a dynamic value needs its type (DynamicValue)", path);
      this.u8(0x92);
      const t = utf8.encode(JSON.stringify(v.type));
      this.lengthHeader(t.length, 0xc5, 0xc6, 0xc4, -1); // bin 8/16/32
      this.bytes(t);
      return this.value(v.value, v.type, path);
    }
    const [kind, inner] = type;
    if (kind === "list" || kind === "set" || kind === "tuple") {
      if (!Array.isArray(v)) throw new WireValueError(`expected a ${kind}, got ${describe(v)}`, path);
      if (kind === "tuple" && v.length !== inner.length) throw new WireValueError(`expected a tuple of ${inner.length}`, path);
      this.lengthHeader(v.length, 0xdc, 0xdd, -1, 0x90);
      v.forEach((el, i) => this.value(el, kind === "tuple" ? inner[i]! : inner, [...path, i]));
      return;
    }
    if (typeof v !== "object" || Array.isArray(v)) throw new WireValueError(`expected a ${kind}, got ${describe(v)}`, path);
    const record = v as Record<string, unknown>;
    if (kind === "map") {
      const keys = Object.keys(record);
      this.lengthHeader(keys.length, 0xde, 0xdf, -1, 0x80);
      for (const k of keys) {
        this.str(k);
        this.value(record[k], inner, [...path, k]);
      }
      return;
    }
    const names = Object.keys(inner);
    this.lengthHeader(names.length, 0xde, 0xdf, -1, 0x80);
    for (const name of names) {
      this.str(name);
      this.value(Object.hasOwn(record, name) ? record[name] : null, inner[name]!, [...path, name]);
    }
  }

  /** Writes a length-prefixed header: fix form (when `fix` ≥ 0 and n < 16), then 16/32-bit forms. */
  private lengthHeader(n: number, c16: number, c32: number, c8: number, fix: number): void {
    if (fix >= 0 && n < 16) return this.u8(fix | n);
    if (c8 >= 0 && n < 0x100) { this.u8(c8); return this.u8(n); }
    if (n < 0x10000) { this.u8(c16); return this.u16(n); }
    this.u8(c32);
    this.u32(n);
  }

  private str(s: string): void {
    const b = utf8.encode(s);
    if (b.length < 32) this.u8(0xa0 | b.length);
    else if (b.length < 0x100) { this.u8(0xd9); this.u8(b.length); }
    else if (b.length < 0x10000) { this.u8(0xda); this.u16(b.length); }
    else { this.u8(0xdb); this.u32(b.length); }
    this.bytes(b);
  }

  private unknown(u: Unknown): void {
    if (!u.ext) { this.u8(0xd4); this.u8(0); return this.u8(0); }
    const { type, data } = u.ext;
    const fix = [1, 2, 4, 8, 16].indexOf(data.length);
    if (fix >= 0) this.u8(0xd4 + fix);
    else this.lengthHeader(data.length, 0xc8, 0xc9, 0xc7, -1);
    this.u8(type & 0xff);
    this.bytes(data);
  }

  private num(v: unknown, path: (string | number)[]): void {
    if (typeof v === "string") {
      try {
        v = numberFromText(v);
      } catch {
        throw new WireValueError(`expected a number, got the string ${JSON.stringify(v)}`, path);
      }
    }
    if (v instanceof BigDecimal) return this.str(v.text);
    if (typeof v === "bigint") {
      if (v < INT64_MIN || v > UINT64_MAX) return this.str(v.toString());
      this.ensure(9);
      if (v < 0n) { this.u8(0xd3); this.view.setBigInt64(this.pos, v); }
      else { this.u8(0xcf); this.view.setBigUint64(this.pos, v); }
      this.pos += 8;
      return;
    }
    if (typeof v !== "number") throw new WireValueError(`expected a number, got ${describe(v)}`, path);
    if (Number.isNaN(v)) throw new WireValueError("NaN is not a Terraform number", path);
    if (Number.isSafeInteger(v)) return this.int(v);
    // Between 2^53 and 2^63 a float64 integer is exact as an int64 too; Terraform
    // reads ints as ints, which keeps `1e18` from turning into a float on its side.
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 63) return this.num(BigInt(v), path);
    this.ensure(9);
    this.u8(0xcb);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  private int(v: number): void {
    if (v >= 0) {
      if (v < 0x80) return this.u8(v);
      if (v < 0x100) { this.u8(0xcc); return this.u8(v); }
      if (v < 0x10000) { this.u8(0xcd); return this.u16(v); }
      if (v < 0x100000000) { this.u8(0xce); return this.u32(v); }
      return this.num(BigInt(v), []);
    }
    if (v >= -32) return this.u8(v & 0xff);
    if (v >= -0x80) { this.u8(0xd0); return this.u8(v & 0xff); }
    if (v >= -0x8000) { this.u8(0xd1); return this.u16(v & 0xffff); }
    if (v >= -0x80000000) { this.u8(0xd2); return this.u32(v >>> 0); }
    return this.num(BigInt(v), []);
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}
