// API errors (RFC 9457 application/problem+json) as Terraform diagnostics. A field
// error's JSON pointer (/ownerTeam, /labels/owner, /kinds/0) becomes an attribute
// path (owner_team, labels["owner"], kinds[0]) so Terraform underlines the line.
import { parsePointer } from "@meshplane/rules";
import type { AttributePath, Diagnostic, ExplainsItself } from "../framework/diagnostics.ts";

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { pointer?: string; message?: string }[];
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Default pointer → path mapping: camelCase properties to snake_case attributes. */
export function pointerToPath(pointer: string): AttributePath | undefined {
  if (!pointer || pointer === "/") return undefined;
  const tokens = parsePointer(pointer);
  const [first, ...rest] = tokens;
  return [snake(first!), ...rest.map((t) => (/^\d+$/.test(t) ? Number(t) : { key: t }))];
}

export class ApiError extends Error implements ExplainsItself {
  /** Attribute the whole error belongs to, when the resource knows it (e.g. a flow's source). */
  private path: AttributePath | undefined;
  private mapPointer: (pointer: string) => AttributePath | undefined = pointerToPath;

  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly request: string,
  ) {
    super(`${request}: HTTP ${status} ${problem.title ?? ""}${problem.detail ? `: ${problem.detail}` : ""}`);
  }

  /** Points the error at an attribute and/or maps field pointers differently. */
  at(path: AttributePath | undefined, mapPointer?: (pointer: string) => AttributePath | undefined): this {
    this.path = path;
    if (mapPointer) this.mapPointer = mapPointer;
    return this;
  }

  toDiagnostics(): Diagnostic[] {
    const summary = this.problem.title || `Meshplane API error (HTTP ${this.status})`;
    const hint = HINTS[this.status];
    const detail = [this.problem.detail, hint].filter(Boolean).join("\n\n") || `${this.request} answered HTTP ${this.status}.`;
    const fieldErrors = (this.problem.errors ?? []).filter((e) => e.message);
    if (fieldErrors.length === 0) return [{ severity: "error", summary, detail, ...(this.path ? { path: this.path } : {}) }];
    return fieldErrors.map((e) => {
      const path = (e.pointer && this.mapPointer(e.pointer)) || this.path;
      return { severity: "error", summary, detail: e.message!, ...(path ? { path } : {}) };
    });
  }
}

const HINTS: Record<number, string> = {
  401: "Meshplane did not accept the credentials: check api_key in the provider block or MESHPLANE_API_KEY.",
  403: "The API key's service account lacks this permission; a maintainer of the namespace (or a platform admin) can grant it.",
  429: "Meshplane is rate-limiting this client, and still was after the provider's retries; retry later or lower terraform's -parallelism.",
  503: "Meshplane could not use its database, and still could not after the provider's retries; check the control plane's log and /readyz, then run terraform again.",
};

/** The endpoint could not be reached at all (DNS, refused, TLS, timeout). */
export class ConnectionError extends Error implements ExplainsItself {
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`cannot reach Meshplane at ${endpoint}: ${reason}`);
  }
  toDiagnostics(): Diagnostic[] {
    return [
      {
        severity: "error",
        summary: "Cannot reach the Meshplane API",
        detail: `No answer from ${this.endpoint} (${this.reason}). Check endpoint in the provider block or MESHPLANE_ENDPOINT, and that the control plane is running.`,
        path: ["endpoint"],
      },
    ];
  }
}
