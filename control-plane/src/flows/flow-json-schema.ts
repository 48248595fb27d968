import { z } from "zod";
import { flowDocumentSchema } from "./flow-schema.ts";

let cached: object | undefined;

/**
 * The JSON Schema of a flow document, generated from the same zod schema that
 * validates PUTs, so editors complete exactly what the server accepts. Rules that JSON
 * Schema cannot say in the zod form (keys required by MODE_DELTA) are added by hand.
 */
export function flowJsonSchema(): object {
  cached ??= build();
  return cached;
}

function build(): object {
  const schema = z.toJSONSchema(flowDocumentSchema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def as { type?: string; shape?: Record<string, unknown> };
      if (def.type === "object" && def.shape && "writeDisposition" in def.shape) {
        jsonSchema["allOf"] = [
          { if: { required: ["writeDisposition"], properties: { writeDisposition: { const: "MODE_DELTA" } } }, then: { required: ["keys"] } },
          { if: { required: ["writeDisposition"] }, then: { required: ["destinationTable"] } },
        ];
      }
    },
  }) as Record<string, unknown>;
  return { ...schema, $id: "https://meshplane.dev/schemas/flow.json" };
}
