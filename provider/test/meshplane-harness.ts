// A real control plane (its own process, embedded PostgreSQL) and terraform
// workspaces pointed at it: the acceptance tests' shared setup.
import { ApiClient, makeServiceAccount, startServer, type RunResult, type TerraformWorkspace, type TestServer } from "@meshplane/test-kit";
import { ProviderWorkspace } from "./terraform-harness.ts";

export { ApiClient, makeServiceAccount, type TestServer };

export async function startMeshplane(): Promise<{ server: TestServer; admin: ApiClient }> {
  const server = await startServer();
  return { server, admin: new ApiClient(server.api, server.adminKey) };
}

/** A terraform workspace whose provider talks to `server` with `apiKey` (from the environment, as CI does). */
export function meshplaneWorkspace(server: TestServer, apiKey = server.adminKey): TerraformWorkspace {
  return new ProviderWorkspace({ MESHPLANE_ENDPOINT: server.url, MESHPLANE_API_KEY: apiKey, MESHPLANE_PROVIDER_TEST_RESOURCES: "0" });
}

/** Throws with the API's answer unless the call succeeded: out-of-band changes must really happen. */
export async function expectOk<T extends { status: number; body: unknown }>(answer: Promise<T>): Promise<T> {
  const a = await answer;
  if (a.status >= 300) throw new Error(`API call failed: ${a.status} ${JSON.stringify(a.body)}`);
  return a;
}

/** Resource addresses that a plan output says will be created (or replaced), in order. */
export function plannedCreates(r: RunResult): string[] {
  return [...r.output.matchAll(/# (\S+) (?:will be created|must be replaced)/g)].map((m) => m[1]!);
}

export async function stateValues(ws: TerraformWorkspace): Promise<Record<string, Record<string, unknown>>> {
  const s = await ws.stateJson();
  return Object.fromEntries((s.values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
}

/** Terraform's diagnostics without the box drawing and the wrapping at 78 columns: one line of words. */
export function flat(output: string): string {
  return output.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");
}
