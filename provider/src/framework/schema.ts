// How resources describe themselves. A schema is plain data; the state type of a
// resource is inferred from it, so a resource file needs no separate interface.
import type { TfNumber, TfType, Unknown } from "../wire/types.ts";

export interface AttributeSchema {
  readonly type: TfType;
  /** Shown by `terraform providers schema` and in the generated docs. */
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /** A change to this attribute destroys and re-creates the object. */
  readonly forceNew?: boolean;
  /** Computed value the API changes on every update (e.g. a revision): unknown in any update plan. */
  readonly changesOnUpdate?: boolean;
  /** Value planned when the configuration leaves an optional+computed attribute out. */
  readonly default?: unknown;
  /** Semantic equality: values it calls equal are no change (e.g. YAML that differs only in formatting). */
  readonly equal?: (a: unknown, b: unknown) => boolean;
  /** Offline check of a known configuration value; return a message to reject it. */
  readonly validate?: (value: unknown) => string | undefined;
  readonly deprecated?: string;
}

export interface BlockSchema {
  readonly nesting: "single" | "list" | "set";
  readonly description: string;
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks?: Readonly<Record<string, BlockSchema>>;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly forceNew?: boolean;
}

export interface Schema {
  readonly description: string;
  /** Bumped when the stored state's shape changes (see UpgradeResourceState). */
  readonly version?: number;
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks?: Readonly<Record<string, BlockSchema>>;
}

/** The JS value of a Terraform type. Maps are objects without a prototype. */
export type ValueOf<T> = TfType extends T ? unknown : T extends "string"
  ? string
  : T extends "number"
    ? TfNumber
    : T extends "bool"
      ? boolean
      : T extends readonly ["list" | "set", infer E]
        ? ValueOf<E>[]
        : T extends readonly ["map", infer E]
          ? Record<string, ValueOf<E>>
          : T extends readonly ["object", infer A]
            ? { [K in keyof A]: ValueOf<A[K]> | null }
            : unknown;

type AttributeValue<A extends AttributeSchema> = A extends { required: true } ? ValueOf<A["type"]> : ValueOf<A["type"]> | null;
type BlockValue<B extends BlockSchema> = B extends { nesting: "single" } ? StateOf<B> | null : StateOf<B>[];

/** The state (and configuration) object of a schema (for the general Schema type: any record). */
export type StateOf<S extends { attributes: object; blocks?: object }> = string extends keyof S["attributes"] ? Record<string, unknown> : SpecificStateOf<S>;
type SpecificStateOf<S extends { attributes: object; blocks?: object }> = {
  -readonly [K in keyof S["attributes"]]: S["attributes"][K] extends AttributeSchema ? AttributeValue<S["attributes"][K]> : never;
} & (S["blocks"] extends Readonly<Record<string, BlockSchema>>
  ? { -readonly [K in keyof S["blocks"]]: BlockValue<S["blocks"][K]> }
  : unknown);

/** A value during planning: any attribute may still be unknown. */
export type Planned<T> = { [K in keyof T]: T[K] | Unknown };

/** The object type Terraform sees for a block (attributes and nested blocks). */
export function impliedType(block: { attributes: Readonly<Record<string, AttributeSchema>>; blocks?: Readonly<Record<string, BlockSchema>> }): TfType {
  const attrs: Record<string, TfType> = {};
  for (const [name, a] of Object.entries(block.attributes)) attrs[name] = a.type;
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    const t = impliedType(b);
    attrs[name] = b.nesting === "single" ? t : [b.nesting, t];
  }
  return ["object", attrs];
}

const cache = new WeakMap<object, TfType>();
/** impliedType, computed once per schema (it is asked for on every RPC). */
export function typeOf(schema: Schema): TfType {
  let t = cache.get(schema);
  if (!t) cache.set(schema, (t = impliedType(schema)));
  return t;
}
