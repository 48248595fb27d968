// Every problem reaches Terraform as a diagnostic, never as a gRPC error (those
// read "rpc error: code = Internal" and point nowhere). A path makes Terraform
// underline the exact line of configuration.

/** Steps into a value: attribute name, list index, or map key ({ key }). */
export type AttributePath = readonly (string | number | { readonly key: string })[];

export interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  path?: AttributePath;
}

/** Anything that knows how to explain itself as diagnostics (e.g. an API error). */
export interface ExplainsItself {
  toDiagnostics(): Diagnostic[];
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail?: string, path?: AttributePath): this {
    this.items.push({ severity: "error", summary, ...(detail ? { detail } : {}), ...(path ? { path } : {}) });
    return this;
  }
  warning(summary: string, detail?: string, path?: AttributePath): this {
    this.items.push({ severity: "warning", summary, ...(detail ? { detail } : {}), ...(path ? { path } : {}) });
    return this;
  }
  add(...diags: Diagnostic[]): this {
    this.items.push(...diags);
    return this;
  }
  hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/** Throw from a resource to fail the operation with these diagnostics. */
export class ProviderError extends Error implements ExplainsItself {
  readonly diagnostics: Diagnostic[];
  constructor(summary: string, detail?: string, path?: AttributePath) {
    super(detail ? `${summary}: ${detail}` : summary);
    this.diagnostics = new Diagnostics().error(summary, detail, path).items;
  }
  toDiagnostics(): Diagnostic[] {
    return this.diagnostics;
  }
}

function explainsItself(e: unknown): e is ExplainsItself {
  return typeof e === "object" && e !== null && typeof (e as ExplainsItself).toDiagnostics === "function";
}

/** Turns anything thrown during `what` (e.g. "create meshplane_team") into diagnostics. */
export function diagnosticsFromError(e: unknown, what: string): Diagnostic[] {
  if (explainsItself(e)) return e.toDiagnostics();
  if (e instanceof Error && e.name === "AbortError") {
    return [{ severity: "error", summary: `Interrupted: ${what}`, detail: "Terraform asked the provider to stop before the operation finished." }];
  }
  const message = e instanceof Error ? e.message : String(e);
  return [{ severity: "error", summary: `Unexpected error in ${what}`, detail: `${message}\n\nThis is a bug in the Meshplane provider; please report it.` }];
}
