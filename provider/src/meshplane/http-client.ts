// A small client for the Meshplane HTTP API on node:http with keep-alive (global
// fetch allocates several times more per request, which shows on 1,000-resource
// plans in CPU and peak RSS). Every failure comes out as an error that explains
// itself as Terraform diagnostics.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { AttributePath } from "../framework/diagnostics.ts";
import type { GithubOidcCredentials } from "./oidc-credentials.ts";
import { ApiError, ConnectionError, type Problem } from "./problem.ts";

export interface ClientOptions {
  endpoint: string;
  /** An API key; or, with no key, `oidc`: access tokens exchanged from GitHub Actions ID tokens. */
  apiKey?: string;
  oidc?: GithubOidcCredentials;
  userAgent: string;
  /** Aborted when Terraform stops the provider. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Attempts for a request Meshplane asks to repeat (429, 503). @default 5 */
  maxAttempts?: number;
}

/**
 * Answers that mean "not carried out, come back later": rate limiting, and a control
 * plane whose database is briefly unreachable or gave up on a transaction. Retried after
 * Retry-After (capped), else with exponential backoff; the last answer is the error.
 */
const RETRYABLE_STATUSES = new Set([429, 503]);
const MAX_RETRY_DELAY_MS = 10_000;
const FIRST_BACKOFF_MS = 500;

export interface RequestOptions {
  body?: unknown;
  /** Sent as is with this content type (e.g. YAML); otherwise body is JSON. */
  rawBody?: { contentType: string; text: string };
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The attribute an error of this call belongs to (where Terraform underlines it). */
  path?: AttributePath;
}

export class MeshplaneClient {
  readonly endpoint: string;
  /** Keep-alive: Terraform asks 10 things at a time, each would otherwise pay a TCP (and TLS) handshake. */
  private readonly agent: HttpAgent;
  constructor(private readonly options: ClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, "");
    this.agent = this.endpoint.startsWith("https:") ? new HttpsAgent({ keepAlive: true, maxSockets: 32 }) : new HttpAgent({ keepAlive: true, maxSockets: 32 });
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const url = new URL(this.endpoint + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      accept: "application/json, application/problem+json",
      authorization: `Bearer ${this.options.oidc ? await this.options.oidc.bearer() : this.options.apiKey}`,
      "user-agent": this.options.userAgent,
      ...opts.headers,
    };
    let body: string | undefined;
    if (opts.rawBody) {
      headers["content-type"] = opts.rawBody.contentType;
      body = opts.rawBody.text;
    } else if (opts.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.body);
    }
    const stops = [...(this.options.signal ? [this.options.signal] : []), ...(opts.signal ? [opts.signal] : [])];
    const what = `${method} ${url.pathname}`;
    const maxAttempts = this.options.maxAttempts ?? 5;
    let res: { status: number; headers: IncomingHttpHeaders; text: string };
    for (let attempt = 1; ; attempt++) {
      try {
        res = await this.send(url, method, headers, body, AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs ?? 60_000), ...stops]));
      } catch (e) {
        if (stops.some((s) => s.aborted)) throw abortError(); // Terraform is stopping us
        throw new ConnectionError(this.endpoint, describeRequestError(e));
      }
      // An exchanged token refused (revoked, or expired early): exchange a new ID token, once.
      if (res.status === 401 && this.options.oidc && attempt === 1) {
        this.options.oidc.forget();
        headers["authorization"] = `Bearer ${await this.options.oidc.bearer()}`;
        continue;
      }
      if (!RETRYABLE_STATUSES.has(res.status) || attempt >= maxAttempts) break;
      await sleep(retryDelayMs(res.headers["retry-after"], attempt), stops);
    }
    const { text } = res;
    const type = String(res.headers["content-type"] ?? "");
    const parsed = parseBody(text, type);
    if (res.status < 200 || res.status >= 300) {
      const problem: Problem = type.includes("json") && parsed && typeof parsed === "object" ? (parsed as Problem) : { title: `Meshplane API error (HTTP ${res.status})`, detail: text.slice(0, 500) || undefined };
      throw new ApiError(res.status, problem, what).at(opts.path);
    }
    return { status: res.status, body: parsed as T, headers: toHeaders(res.headers) };
  }


  private send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
    return new Promise((resolve, reject) => {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(url, { method, headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) }, agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  async get<T>(path: string, opts?: RequestOptions): Promise<T> {
    return (await this.request<T>("GET", path, opts)).body;
  }
  /** GET that answers null on 404: what a read needs to detect deletion out of band. */
  async getOrNull<T>(path: string, opts?: RequestOptions): Promise<T | null> {
    try {
      return await this.get<T>(path, opts);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }
  async post<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    return (await this.request<T>("POST", path, { ...opts, body })).body;
  }
  async put<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    return (await this.request<T>("PUT", path, { ...opts, body })).body;
  }
  async patch<T>(path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    return (await this.request<T>("PATCH", path, { ...opts, body })).body;
  }
  /** DELETE that treats 404 as done (already deleted out of band). */
  async delete(path: string, opts?: RequestOptions): Promise<void> {
    try {
      await this.request("DELETE", path, opts);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return;
      throw e;
    }
  }
}

function parseBody(text: string, contentType: string): unknown {
  if (!text) return null;
  if (contentType.includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function describeRequestError(e: unknown): string {
  const err = e as { name?: string; code?: string; message?: string; cause?: { name?: string } };
  if (err?.name === "TimeoutError" || err?.cause?.name === "TimeoutError" || (err?.name === "AbortError" && err?.cause?.name === "TimeoutError")) return "timed out";
  if (err?.name === "AbortError") return "timed out";
  if (err?.code) return `${err.code}${err.message ? `: ${err.message}` : ""}`;
  return err?.message ?? String(e);
}

/** Retry-After in seconds or as an HTTP date, capped; without it 0.5, 1, 2, 4 s (±20 %). */
export function retryDelayMs(retryAfter: string | undefined, attempt: number, now = Date.now()): number {
  if (retryAfter !== undefined && retryAfter.trim() !== "") {
    const ms = /^\s*\d+\s*$/.test(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), MAX_RETRY_DELAY_MS);
  }
  const backoff = FIRST_BACKOFF_MS * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
  return Math.min(backoff, MAX_RETRY_DELAY_MS);
}

/** Waits, or throws the abort error as soon as Terraform stops the provider. */
function sleep(ms: number, stops: AbortSignal[]): Promise<void> {
  if (stops.some((s) => s.aborted)) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onStop = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      for (const s of stops) s.removeEventListener("abort", onStop);
      resolve();
    }, ms);
    for (const s of stops) s.addEventListener("abort", onStop, { once: true });
  });
}

function abortError(): Error {
  return Object.assign(new Error("stopped"), { name: "AbortError" });
}

function toHeaders(h: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(", ") : v);
  return out;
}
