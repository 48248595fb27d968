import { currentToken, signOut } from "./auth.ts";

// The shapes the console reads, as the OpenAPI document (GET /api/v1/openapi.json) declares them.
export interface Page<T> { items: T[]; nextCursor: string | null }
export interface Team { name: string; displayName?: string; managedBy?: string | null }
export interface Namespace { name: string; ownerTeam: string; description: string; labels: Record<string, string> }
export interface Flow { namespace: string; id: string; revision: number; source: string; labels: Record<string, string>; disabled: boolean; description: string; updatedAt: string }
export interface TriggerGrant { id: string; upstreamNamespace: string; upstreamFlow: string | null; downstreamNamespace: string; kinds: ("trigger" | "subflow")[]; createdBy: string }
export interface ExecutionSummary { id: string; namespace: string; flowId: string; state: string; createdAt: string; labels?: Record<string, string> }
export interface AuditEvent { id: string; at: string; subject: string; action: string; resourceType: string; resourceId: string; namespace: string | null; before: unknown; after: unknown }
export interface WhoAmI { subject: string; team: string; platformAdmin: boolean; bindings: { role: string; namespace: string | null }[] }

export class ApiError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = currentToken();
  if (!token) { signOut(); throw new ApiError(401, "signed out"); }
  const res = await fetch(`/api/v1${path}`, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) } });
  // An expired or revoked token: back to the sign-in page.
  if (res.status === 401) { signOut(); throw new ApiError(401, "signed out"); }
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
    throw new ApiError(res.status, problem.detail ?? problem.title ?? `HTTP ${res.status}`);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Every page of a list (the console's lists are bounded by what the mesh holds). */
export async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page: Page<T> = await api<Page<T>>(`${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
