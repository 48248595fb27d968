// A flow's YAML compared by meaning: formatting, comments, quoting styles and key
// order are no change; any difference in values is.
import { parse } from "yaml";

/** Parses flow YAML (one document); throws with the parser's message on a syntax error. */
export function parseFlowYaml(source: string): unknown {
  return parse(source, { prettyErrors: true, uniqueKeys: true });
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
