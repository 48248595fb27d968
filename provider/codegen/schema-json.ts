// The provider's schema in the format of `terraform providers schema -json`, built
// from the schema definitions themselves (no terraform call, no provider process):
// the input of the CDKTF generator and of the docs.
import type { AttributeSchema, BlockSchema, Schema } from "../src/framework/schema.ts";
import { PROVIDER_VERSION, providerSchema } from "../src/meshplane/provider.ts";
import { meshplaneDataSources, meshplaneResources } from "../src/resources/index.ts";

export const PROVIDER_ADDRESS = "registry.terraform.io/meshplane/meshplane";

interface JsonBlock {
  attributes?: Record<string, Record<string, unknown>>;
  block_types?: Record<string, { nesting_mode: string; block: JsonBlock; min_items?: number; max_items?: number }>;
  description: string;
  description_kind: "markdown";
}

function attributeJson(a: AttributeSchema): Record<string, unknown> {
  return {
    type: a.type,
    description: a.description,
    description_kind: "markdown",
    ...(a.required ? { required: true } : {}),
    ...(a.optional ? { optional: true } : {}),
    ...(a.computed ? { computed: true } : {}),
    ...(a.sensitive ? { sensitive: true } : {}),
    ...(a.deprecated ? { deprecated: true } : {}),
  };
}

function blockJson(b: Schema | BlockSchema): JsonBlock {
  const out: JsonBlock = { description: b.description, description_kind: "markdown" };
  const attrs = Object.entries(b.attributes);
  if (attrs.length) out.attributes = Object.fromEntries(attrs.map(([n, a]) => [n, attributeJson(a)]));
  const blocks = Object.entries(b.blocks ?? {});
  if (blocks.length) {
    out.block_types = Object.fromEntries(
      blocks.map(([n, nb]) => [n, { nesting_mode: nb.nesting, block: blockJson(nb), ...(nb.minItems ? { min_items: nb.minItems } : {}), ...(nb.maxItems ? { max_items: nb.maxItems } : {}) }]),
    );
  }
  return out;
}

const sorted = <T extends { typeName: string }>(xs: readonly T[]) => [...xs].sort((a, b) => a.typeName.localeCompare(b.typeName));

export function providerSchemaJson() {
  return {
    format_version: "1.0",
    provider_schemas: {
      [PROVIDER_ADDRESS]: {
        provider: { version: 0, block: blockJson(providerSchema) },
        resource_schemas: Object.fromEntries(sorted(meshplaneResources).map((r) => [r.typeName, { version: r.schema.version ?? 0, block: blockJson(r.schema) }])),
        data_source_schemas: Object.fromEntries(sorted(meshplaneDataSources).map((d) => [d.typeName, { version: d.schema.version ?? 0, block: blockJson(d.schema) }])),
      },
    },
    provider_versions: { [PROVIDER_ADDRESS]: PROVIDER_VERSION },
  };
}
