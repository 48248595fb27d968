// Terraform's type system as the provider sees it. Types are written exactly as
// Terraform's schema wire format writes them (JSON), so a schema attribute's
// `type` bytes are just JSON.stringify(type).

export type TfType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["list", TfType]
  | readonly ["set", TfType]
  | readonly ["map", TfType]
  | readonly ["object", { readonly [attr: string]: TfType }]
  | readonly ["tuple", readonly TfType[]];

/** A value that does not fit its type (wire decoding or a provider bug when encoding). */
export class WireValueError extends Error {
  constructor(message: string, readonly path: readonly (string | number)[]) {
    super(path.length ? `${message} (at ${path.join(".")})` : message);
  }
}

/** A value that Terraform will only know during apply (msgpack extension type). */
export class Unknown {
  /**
   * The original extension (type code and payload) when Terraform sent a refined
   * unknown (type 12, e.g. "a string starting with https://"), kept so that echoing
   * the value back loses no refinement Terraform promised itself.
   */
  constructor(readonly ext?: { type: number; data: Uint8Array }) {}
}

/** The plain, unrefined unknown. */
export const UNKNOWN = new Unknown();

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/**
 * A number that a float64 cannot hold exactly and that is not an integer (Terraform
 * numbers are 512-bit decimals). Kept as its decimal text so that it goes back to
 * Terraform bit-for-bit; integers beyond 2^53 use bigint instead.
 */
export class BigDecimal {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

export type TfNumber = number | bigint | BigDecimal;

/** A value of the `dynamic` pseudo-type carries its concrete type with it. */
export class DynamicValue {
  constructor(
    readonly type: TfType,
    readonly value: unknown,
  ) {}
}

/**
 * Maps decode into objects without a prototype: a map key may be `__proto__`,
 * `constructor` or `toString`, and on a plain object the first would replace the
 * prototype instead of adding an entry.
 */
export function newMap<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function isObjectType(t: TfType): t is readonly ["object", { readonly [attr: string]: TfType }] {
  return Array.isArray(t) && t[0] === "object";
}

/** Parses a number's decimal text the way Terraform writes it (JSON or msgpack string). */
export function numberFromText(text: string): TfNumber {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) {
    const big = BigInt(t);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) throw new Error(`not a number: ${JSON.stringify(text)}`);
  // An exponent form of an integer (1e21) is still an integer to Terraform.
  const expanded = integerFromExponent(t);
  if (expanded !== undefined) return numberFromText(expanded);
  return new BigDecimal(t);
}

function integerFromExponent(t: string): string | undefined {
  const m = /^(-?)(\d+)(?:\.(\d*))?[eE]([-+]?\d+)$/.exec(t);
  if (!m) return undefined;
  const [, sign, int, frac = "", expText] = m as unknown as [string, string, string, string | undefined, string];
  const exp = Number(expText);
  const fracTrimmed = frac.replace(/0+$/, "");
  if (exp < fracTrimmed.length || exp > 4000) return undefined;
  return sign + (int + fracTrimmed + "0".repeat(exp - fracTrimmed.length)).replace(/^0+(?=\d)/, "");
}

/**
 * A canonical text for a number (for equality and messages): sign, significant
 * digits and exponent normalised, so 1.50, 1.5 and 15e-1 compare equal. A JS float
 * is taken by its shortest text, which is what Terraform showed the user.
 */
export function numberText(n: TfNumber): string {
  if (typeof n === "bigint") return n.toString();
  if (typeof n === "number" && Number.isSafeInteger(n)) return String(n);
  const text = n instanceof BigDecimal ? n.text : String(n);
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const [, sign, int = "", frac = "", exp = "0"] = m;
  let digits = (int + frac).replace(/^0+/, "");
  let exponent = Number(exp) - frac.length;
  if (digits === "") return "0";
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  if (exponent >= 0 && exponent < 400) return sign + digits + "0".repeat(exponent);
  return `${sign}${digits}e${exponent}`;
}
