// Credentials without a stored secret, inside GitHub Actions (SPEC §12): the provider asks
// the runner for an OIDC ID token for its audience and exchanges it at POST /auth/token
// (RFC 8693) for a Meshplane access token, which it renews before it expires.
import type { Diagnostic, ExplainsItself } from "../framework/diagnostics.ts";
import type { Problem } from "./problem.ts";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
/** Renew this long before the access token expires: a request must not race its expiry. */
const RENEW_MARGIN_MS = 60_000;
const TIMEOUT_MS = 30_000;

export interface GithubOidcOptions {
  /** The control plane's base URL (no trailing slash). */
  endpoint: string;
  /** What the ID token is asked for: the federation rule's audience. */
  audience: string;
  /** For a token matching the rules of several service accounts. */
  serviceAccount?: string | undefined;
  /** ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, set by the runner for jobs with `id-token: write`. */
  requestUrl: string;
  requestToken: string;
  userAgent: string;
  signal?: AbortSignal | undefined;
}

/** An exchange that failed: says which step and how to fix it, on the provider block. */
export class OidcCredentialError extends Error implements ExplainsItself {
  constructor(
    readonly summary: string,
    readonly detail: string,
    readonly attribute: string,
  ) {
    super(`${summary}: ${detail}`);
  }
  toDiagnostics(): Diagnostic[] {
    return [{ severity: "error", summary: this.summary, detail: this.detail, path: [this.attribute] }];
  }
}

export class GithubOidcCredentials {
  private current: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly options: GithubOidcOptions) {}

  /** The bearer token for the next request: cached, renewed shortly before it expires, one exchange at a time. */
  async bearer(): Promise<string> {
    if (this.current && Date.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.exchange().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** After a 401: the token may have been revoked or expired early; the next bearer() exchanges again. */
  forget(): void {
    this.current = undefined;
  }

  private async exchange(): Promise<string> {
    const idToken = await this.idToken();
    const res = await this.fetch(`${this.options.endpoint}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, application/problem+json", "user-agent": this.options.userAgent },
      body: JSON.stringify({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: idToken,
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        ...(this.options.serviceAccount ? { service_account: this.options.serviceAccount } : {}),
      }),
    }, "endpoint", `Cannot reach Meshplane at ${this.options.endpoint}`);
    const body = (await res.json().catch(() => ({}))) as Problem & { access_token?: string; expires_in?: number };
    if (!res.ok || typeof body.access_token !== "string") {
      const fix =
        res.status === 400 && /service_account/.test(body.detail ?? "")
          ? "Set service_account in the provider block (or MESHPLANE_SERVICE_ACCOUNT)."
          : `Ask the platform team for a federation rule of your service account with issuer https://token.actions.githubusercontent.com, audience ${JSON.stringify(this.options.audience)} (the provider's oidc_audience) and this repository's claims.`;
      throw new OidcCredentialError(
        "Meshplane refused the GitHub Actions OIDC token",
        `POST /api/v1/auth/token (token exchange) answered HTTP ${res.status}: ${body.detail ?? body.title ?? "no detail"}\n\n${fix}`,
        res.status === 400 ? "service_account" : "oidc_audience",
      );
    }
    const lifetimeMs = Math.max(0, (body.expires_in ?? 300) * 1000);
    this.current = { token: body.access_token, renewAt: Date.now() + Math.max(lifetimeMs - RENEW_MARGIN_MS, lifetimeMs / 2) };
    return body.access_token;
  }

  /** GitHub's runner API: GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=… with the request token → {value}. */
  private async idToken(): Promise<string> {
    const url = new URL(this.options.requestUrl);
    url.searchParams.set("audience", this.options.audience);
    const res = await this.fetch(url.href, { headers: { authorization: `bearer ${this.options.requestToken}`, accept: "application/json; api-version=2.0", "user-agent": this.options.userAgent } }, "oidc_audience", "Cannot get a GitHub Actions ID token");
    const body = (await res.json().catch(() => ({}))) as { value?: unknown; message?: unknown };
    if (!res.ok || typeof body.value !== "string") {
      throw new OidcCredentialError(
        "Cannot get a GitHub Actions ID token",
        `The runner's ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) answered HTTP ${res.status}${typeof body.message === "string" ? `: ${body.message}` : ""}. The job needs \`permissions: id-token: write\`.`,
        "oidc_audience",
      );
    }
    return body.value;
  }

  private async fetch(url: string, init: RequestInit, attribute: string, summary: string): Promise<Response> {
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(this.options.signal ? [this.options.signal] : [])];
    try {
      return await fetch(url, { ...init, signal: AbortSignal.any(signals), redirect: "error" });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new OidcCredentialError(summary, `${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, attribute);
    }
  }
}
