// A small client for the Meshplane HTTP API on top of global fetch. Every failure
// comes out as an error that explains itself as Terraform diagnostics.
import type { AttributePath } from "../framework/diagnostics.ts";
import { ApiError, ConnectionError, type Problem } from "./problem.ts";

export interface ClientOptions {
  endpoint: string;
  apiKey: string;
  userAgent: string;
  /** Aborted when Terraform stops the provider. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

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
  constructor(private readonly options: ClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, "");
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const url = new URL(this.endpoint + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      accept: "application/json, application/problem+json",
      authorization: `Bearer ${this.options.apiKey}`,
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
    const signals = [AbortSignal.timeout(this.options.timeoutMs ?? 60_000), ...(this.options.signal ? [this.options.signal] : []), ...(opts.signal ? [opts.signal] : [])];
    const what = `${method} ${url.pathname}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.any(signals) });
    } catch (e) {
      if (this.options.signal?.aborted || opts.signal?.aborted) throw e; // Terraform is stopping us
      throw new ConnectionError(this.endpoint, describeFetchError(e));
    }
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    const parsed = parseBody(text, type);
    if (!res.ok) {
      const problem: Problem = type.includes("json") && parsed && typeof parsed === "object" ? (parsed as Problem) : { title: `Meshplane API error (HTTP ${res.status})`, detail: text.slice(0, 500) || undefined };
      throw new ApiError(res.status, problem, what).at(opts.path);
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
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

function describeFetchError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError") return "timed out";
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ""}`;
  return cause?.message ?? err?.message ?? String(e);
}
