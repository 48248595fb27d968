// Schema and diagnostics in the shape of the protobuf messages (field names as in
// the .proto files, which the loader keeps). Shared by protocol 5 and 6: the
// fields we use are the same in both.
import type { AttributePath, Diagnostic } from "../framework/diagnostics.ts";
import type { BlockSchema, Schema } from "../framework/schema.ts";

const NESTING = { single: 1, list: 2, set: 3 } as const;

export interface WireSchema {
  version: number;
  block: WireBlock;
}
interface WireBlock {
  version: number;
  attributes: object[];
  block_types: object[];
  description: string;
  description_kind: number;
  deprecated: boolean;
}

export function toWireSchema(schema: Schema): WireSchema {
  return { version: schema.version ?? 0, block: toWireBlock(schema, schema.version ?? 0) };
}

function toWireBlock(block: Schema | BlockSchema, version: number): WireBlock {
  return {
    version,
    attributes: Object.entries(block.attributes).map(([name, a]) => ({
      name,
      type: Buffer.from(JSON.stringify(a.type)),
      description: a.description + (a.deprecated ? ` Deprecated: ${a.deprecated}` : ""),
      required: !!a.required,
      optional: !!a.optional,
      computed: !!a.computed,
      sensitive: !!a.sensitive,
      description_kind: 0,
      deprecated: !!a.deprecated,
    })),
    block_types: Object.entries(block.blocks ?? {}).map(([name, b]) => ({
      type_name: name,
      block: toWireBlock(b, 0),
      nesting: NESTING[b.nesting],
      min_items: b.minItems ?? 0,
      max_items: b.maxItems ?? 0,
    })),
    description: block.description,
    description_kind: 0,
    deprecated: false,
  };
}

export interface WireAttributePath {
  steps: ({ attribute_name: string } | { element_key_string: string } | { element_key_int: number })[];
}

export function toWirePath(path: AttributePath): WireAttributePath {
  return {
    steps: path.map((step) =>
      typeof step === "string" ? { attribute_name: step } : typeof step === "number" ? { element_key_int: step } : { element_key_string: step.key },
    ),
  };
}

export function toWireDiagnostics(diags: readonly Diagnostic[]): object[] {
  return diags.map((d) => ({
    severity: d.severity === "error" ? 1 : 2,
    summary: d.summary,
    detail: d.detail ?? "",
    ...(d.path && d.path.length ? { attribute: toWirePath(d.path) } : {}),
  }));
}
