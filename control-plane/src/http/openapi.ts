import { z } from "zod";
import { problemSchema } from "./problem.ts";
import type { AnyRoute } from "./route.ts";

/**
 * OpenAPI 3.1 built from the same route declarations and zod schemas that validate
 * requests, so the document cannot drift from the server.
 */
export function buildOpenApi(routes: readonly AnyRoute[], version: string): object {
  const schemas: Record<string, unknown> = {};
  const toSchema = (s: z.ZodType, io: "input" | "output") => {
    const json = z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
    delete json["$schema"];
    return hoistDefs(json, io, schemas);
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [
      ...objectParameters(r.params, "path", toSchema),
      ...objectParameters(r.query, "query", toSchema),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { [spec.contentType ?? "application/json"]: { schema: toSchema(spec.schema, "output") } } } : {}),
      };
    }
    responses["default"] = {
      description: "An error, as application/problem+json (RFC 9457)",
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
    const operation: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      tags: r.tags,
      parameters,
      responses,
      security: r.access.kind === "public" ? [] : [{ bearer: [] }],
      "x-meshplane-access": describeAccess(r),
    };
    if (r.body) {
      const bodySchema = toSchema(r.body, "input");
      operation["requestBody"] = {
        required: true,
        content: Object.fromEntries((r.bodyTypes ?? ["application/json"]).map((t) => [t, { schema: t.includes("json") || t === "application/x-www-form-urlencoded" ? bodySchema : { type: "string" } }])),
      };
    }
    (paths[`/api/v1${r.path}`] ??= {})[r.method] = operation;
  }
  toSchema(problemSchema, "output");
  return {
    openapi: "3.1.0",
    info: { title: "Meshplane control-plane API", version },
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key (mp_…) or an access token from POST /api/v1/auth/token" },
      },
    },
  };
}

function objectParameters(schema: z.ZodType | undefined, where: "path" | "query", toSchema: (s: z.ZodType, io: "input") => Record<string, unknown>) {
  if (!schema) return [];
  const json = toSchema(schema, "input");
  const properties = (json["properties"] ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((json["required"] as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(typeof s["description"] === "string" ? { description: s["description"] } : {}),
    schema: s,
  }));
}

function describeAccess(r: AnyRoute): string {
  const a = r.access;
  switch (a.kind) {
    case "public":
      return "public";
    case "authenticated":
      return "any authenticated caller";
    case "platform-admin":
      return "platform-admin";
    case "namespace":
      return `permission ${a.permission} on the namespace`;
  }
}

/**
 * zod emits named schemas (`.meta({id})`) as `$defs` beside each operation's schema, with
 * `$ref: "#/$defs/X"` — which in an OpenAPI document would point at the document root.
 * Move them to components/schemas and point the references there. A schema whose input
 * shape is used in a request gets an `Input` suffix (defaults and coercions make the two differ).
 */
function hoistDefs(json: Record<string, unknown>, io: "input" | "output", components: Record<string, unknown>): Record<string, unknown> {
  const defs = (json["$defs"] ?? {}) as Record<string, unknown>;
  delete json["$defs"];
  const renamed = new Map<string, string>();
  for (const [id, def] of Object.entries(defs)) {
    renamed.set(id, io === "output" ? id : `${id}Input`);
  }
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        if (k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")) {
          const id = v.slice("#/$defs/".length);
          out[k] = `#/components/schemas/${renamed.get(id) ?? id}`;
        } else out[k] = rewrite(v);
      }
      return out;
    }
    return node;
  };
  for (const [id, def] of Object.entries(defs)) {
    const name = renamed.get(id)!;
    components[name] ??= rewrite(def);
  }
  // A top-level schema that is itself named comes back as {$ref, $defs}: keep the $ref.
  return rewrite(json) as Record<string, unknown>;
}
