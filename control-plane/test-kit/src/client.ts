/** A tiny JSON client for tests: every call answers {status, body, headers}. */
export interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export class ApiClient {
  constructor(
    readonly api: string,
    readonly token?: string,
  ) {}

  as(token: string | undefined): ApiClient {
    return new ApiClient(this.api, token);
  }

  get = (path: string) => this.call("GET", path);
  delete = (path: string) => this.call("DELETE", path);
  post = (path: string, body?: unknown, headers?: Record<string, string>) => this.call("POST", path, body, headers);
  put = (path: string, body?: unknown, headers?: Record<string, string>) => this.call("PUT", path, body, headers);
  patch = (path: string, body?: unknown) => this.call("PATCH", path, body);

  /** A string body is sent as YAML (application/x-yaml), anything else as JSON. */
  async call(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.token) headers["authorization"] = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (typeof body === "string") {
      headers["content-type"] ??= "application/x-yaml";
      payload = body;
    } else if (body !== undefined) {
      headers["content-type"] ??= "application/json";
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.api}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

/** Creates team, service account and key; binds roles. Returns the key. */
export async function makeServiceAccount(
  admin: ApiClient,
  name: string,
  team: string,
  bindings: { role: string; namespace?: string }[] = [],
): Promise<string> {
  const t = await admin.post("/teams", { name: team });
  if (t.status !== 201 && t.status !== 409) throw new Error(`team ${team}: ${t.status} ${JSON.stringify(t.body)}`);
  const sa = await admin.post("/service-accounts", { name, team });
  if (sa.status !== 201) throw new Error(`service account ${name}: ${sa.status} ${JSON.stringify(sa.body)}`);
  for (const b of bindings) {
    const r = await admin.post("/role-bindings", { ...b, serviceAccount: name });
    if (r.status !== 201) throw new Error(`binding ${JSON.stringify(b)}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const key = await admin.post(`/service-accounts/${name}/keys`, {});
  if (key.status !== 201) throw new Error(`key for ${name}: ${key.status} ${JSON.stringify(key.body)}`);
  return key.body.key as string;
}
