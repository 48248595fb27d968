import type { components } from "./api-types.ts";
import { currentToken, signOut } from "./auth.ts";

// The shapes the console reads: the OpenAPI document's own (api-types.ts is generated from
// it, and test/console/api-types.test.ts fails when the two differ), so an API change that
// breaks a page breaks the console's typecheck.
type Schemas = components["schemas"];
export interface Page<T> { items: T[]; nextCursor: string | null }
export type Team = Schemas["Team"];
export type Namespace = Schemas["Namespace"];
export type Flow = Schemas["Flow"];
export type TriggerGrant = Schemas["TriggerGrant"];
export type ExecutionSummary = Schemas["ExecutionSummary"];
export type Execution = Schemas["Execution"];
export type TaskRun = Schemas["TaskRun"];
export type ExecutionLog = Schemas["ExecutionLog"];
export type AuditEvent = Schemas["AuditEvent"];
export type RoleBinding = Schemas["RoleBinding"];
export type WhoAmI = Schemas["WhoAmI"];
export type TableContract = Schemas["TableContract"];
export type TableContractVersion = Schemas["TableContractVersion"];
export type TableConsumers = Schemas["TableConsumers"];
export type TableRows = Schemas["TableRows"];
export type FlowRevisionSummary = Schemas["FlowRevisionSummary"];
export type FlowDependencies = Schemas["FlowDependencies"];
export type MeshData = Schemas["Mesh"];
export type NamespaceAccess = Schemas["NamespaceAccess"];

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
