// Pieces every Meshplane resource shares: URL segments, natural import ids, name
// rules (the API's, checked offline so `terraform validate` catches them), list
// pagination, and deletes that wait for dependents being destroyed in parallel.
import { NAME_RULES as SHARED_NAME_RULES, nameProblem, namespaceProblem } from "@meshplane/rules";
import { ProviderError } from "../framework/diagnostics.ts";
import type { AttributeSchema } from "../framework/schema.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { ApiError } from "../meshplane/problem.ts";

export const seg = encodeURIComponent;

/** The API's own rules (@meshplane/rules, bundled into the provider), so that validate reports them in its words. */
export type NameRuleKind = keyof typeof SHARED_NAME_RULES | "namespace";

/** The problem with a name, or null. */
export function nameRuleProblem(rule: NameRuleKind, v: unknown): string | null {
  if (typeof v !== "string") return "must be a string";
  return rule === "namespace" ? namespaceProblem(v) : nameProblem(rule, v);
}

export function nameRule(rule: NameRuleKind): NonNullable<AttributeSchema["validate"]> {
  return (v) => {
    const problem = nameRuleProblem(rule, v);
    return problem === null ? undefined : `${JSON.stringify(v)} ${problem}.`;
  };
}

/** An optional description: the API stores "" for none, so "" is planned when it is left out (no perpetual diff). */
export const descriptionAttribute = (what: string) =>
  ({ type: "string", optional: true, computed: true, default: "", description: `Free text describing the ${what}. Defaults to empty.` }) as const;

/**
 * Splits a natural import id `a/b` (namespaces never contain `/`) and explains the
 * expected form when it does not fit.
 */
export function splitImportId(id: string, expected: string, example: string): [string, string] {
  const i = id.indexOf("/");
  if (i <= 0 || i === id.length - 1) {
    throw new ProviderError("Invalid import id", `Expected ${expected}, e.g. ${example}; got ${JSON.stringify(id)}.`);
  }
  return [id.slice(0, i), id.slice(i + 1)];
}

/** Every item of a paginated list (`{items, nextCursor}`). */
export async function listAll<T>(client: MeshplaneClient, path: string, query: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get<{ items: T[]; nextCursor: string | null }>(path, { query: { ...query, limit: 500, cursor } });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * DELETE, retried while the API answers 409 (dependents exist): Terraform destroys
 * independent resources in parallel, so the flow that reads a table, or the
 * namespace's last flow, may be going away at this very moment. After `waitMs`
 * the API's own explanation (which dependents remain) is the error.
 */
export async function deleteWaitingForDependents(client: MeshplaneClient, path: string, signal: AbortSignal, waitMs = 30_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let delay = 200; ; delay = Math.min(delay * 2, 3_000)) {
    try {
      return await client.delete(path);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409) || Date.now() + delay > deadline) throw e;
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, delay);
        signal.addEventListener("abort", () => (clearTimeout(t), reject(Object.assign(new Error("stopped"), { name: "AbortError" }))), { once: true });
      });
    }
  }
}

/** A string map from the API, or {} (maps travel as plain objects). */
export function stringMap(v: Record<string, string> | null | undefined): Record<string, string> {
  return { ...(v ?? {}) };
}

/** A create refused because the object exists (If-None-Match: *): import it rather than take it over. */
export function alreadyExists(kind: "flow" | "table", id: string, e: ApiError): ProviderError {
  return new ProviderError(`The ${kind} ${id} already exists`, alreadyExistsDetail(kind, id, e.problem.detail ?? e.message));
}

export function alreadyExistsDetail(kind: "flow" | "table", id: string, apiMessage: string): string {
  return (
    `Meshplane already has the ${kind} ${id}, created outside this configuration (or by another one); Terraform does not take it over silently. ` +
    `Import it with an \`import { to = <this resource's address>, id = "${id}" }\` block (or \`terraform import <address> ${id}\`), or give this resource another name. ` +
    `(API: ${apiMessage})`
  );
}
