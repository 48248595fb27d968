/** Placeholder until the flow vocabulary lands: the JSON Schema of a flow document. */
export function flowJsonSchema(): object {
  return { $schema: "https://json-schema.org/draft/2020-12/schema", title: "Meshplane flow", type: "object" };
}
