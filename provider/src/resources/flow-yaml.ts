// A flow's YAML compared by meaning: formatting, comments, quoting styles and key
// order are no change; any difference in values is.
//
// The yaml package is loaded on first use, not at start-up: most provider processes
// (schema, validate, anything without flows) never parse YAML, and Terraform starts
// several processes per command.
type YamlModule = typeof import("yaml");
let yamlModule: YamlModule | undefined;
function yaml(): YamlModule {
  // A plain require inside a function: esbuild bundles it and evaluates it only here.
  return (yamlModule ??= require("yaml") as YamlModule);
}

/** Parses flow YAML (one document); throws with the parser's message on a syntax error. */
export function parseFlowYaml(source: string): unknown {
  return yaml().parse(source, { prettyErrors: true, uniqueKeys: true });
}

/**
 * A top-level `key: value` line of block-style YAML with a plain or simply quoted
 * scalar (`id: daily_orders`, `namespace: "retail.sales"`); undefined when the
 * source does not say it that simply (then the caller parses).
 */
export function topLevelScalar(source: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:[ \\t]*(?:"([^"\\\\]*)"|'([^']*)'|([^\\s#"'{\\[][^#]*?))[ \\t]*(?:#.*)?$`, "m").exec(source);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** A JSON text in which object keys are sorted, so that key order is not a difference. */
export function canonicalJson(v: unknown): string {
  const canon = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(canon);
    if (x instanceof Date) return x.toISOString();
    if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canon(o[k])]));
    }
    return x;
  };
  return JSON.stringify(canon(v) ?? null);
}

/** Semantic equality of two YAML sources (a source that does not parse only equals itself). */
export function yamlEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return canonicalJson(parseFlowYaml(a as string)) === canonicalJson(parseFlowYaml(b as string));
}
