// Comparing and tidying values the way Terraform means them: sets are unordered,
// 1.50 equals 1.5, an unknown equals nothing, and a null nested list block is [].
import { BigDecimal, DynamicValue, isUnknown, numberText, Unknown, type TfType } from "../wire/types.ts";
import type { BlockSchema, Schema } from "./schema.ts";

/** True when nothing inside `v` is unknown. */
export function isWhollyKnown(v: unknown): boolean {
  if (isUnknown(v)) return false;
  if (v === null || typeof v !== "object" || v instanceof BigDecimal) return true;
  if (v instanceof DynamicValue) return isWhollyKnown(v.value);
  return Object.values(v).every(isWhollyKnown);
}

/** A copy of `v` with every unknown replaced by null (what a resource sees while applying). */
export function unknownsToNull<T>(v: T): T {
  if (isUnknown(v)) return null as T;
  if (v === null || typeof v !== "object" || v instanceof BigDecimal || v instanceof DynamicValue) return v;
  if (Array.isArray(v)) return v.map(unknownsToNull) as T;
  const out = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) out[k] = unknownsToNull(x);
  return out as T;
}

/** Equality under Terraform's rules for the given type. Unknown is never equal. */
export function valuesEqual(a: unknown, b: unknown, type: TfType): boolean {
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (type === "number") return numberText(a as number) === numberText(b as number);
  if (type === "string" || type === "bool") return a === b;
  if (type === "dynamic") {
    if (!(a instanceof DynamicValue) || !(b instanceof DynamicValue)) return false;
    return JSON.stringify(a.type) === JSON.stringify(b.type) && valuesEqual(a.value, b.value, a.type);
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "tuple") {
    const x = a as unknown[], y = b as unknown[];
    return x.length === y.length && x.every((el, i) => valuesEqual(el, y[i], kind === "tuple" ? inner[i]! : inner));
  }
  if (kind === "set") {
    const x = a as unknown[], y = [...(b as unknown[])];
    if (x.length !== y.length) return false;
    for (const el of x) {
      const i = y.findIndex((other) => valuesEqual(el, other, inner));
      if (i < 0) return false;
      y.splice(i, 1);
    }
    return true;
  }
  const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
  if (kind === "map") {
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && valuesEqual(x[k], y[k], inner));
  }
  return Object.keys(inner).every((k) => valuesEqual(x[k], y[k], inner[k]!));
}

/**
 * The object Terraform requires back: every attribute present (null if absent),
 * nested list/set blocks as [] rather than null, nothing undefined.
 */
export function completeObject(value: unknown, block: Schema | BlockSchema): Record<string, unknown> {
  const src = (value ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(block.attributes)) out[name] = Object.hasOwn(src, name) ? (src[name] ?? null) : null;
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    const v = Object.hasOwn(src, name) ? src[name] : null;
    if (b.nesting === "single") out[name] = v === null || v === undefined || isUnknown(v) ? (v ?? null) : completeObject(v, b);
    else if (isUnknown(v)) out[name] = v;
    else out[name] = Array.isArray(v) ? v.map((el) => (isUnknown(el) ? el : completeObject(el, b))) : [];
  }
  return out;
}
