// What both provider benchmarks set up: a real control plane, N flows in one
// namespace, N terraform_data with the same payloads (the baseline), and the same N
// flows on the do-nothing reference provider (the floor, see floor-provider.ts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ApiClient, startServer, type TerraformWorkspace, type TestServer } from "@meshplane/test-kit";
// @ts-expect-error: a plain .mjs script without types; buildPackage(outDir?, entry?) → the package folder
import { buildPackage } from "../scripts/build.mjs";
import { providerDir, ProviderWorkspace } from "../test/terraform-harness.ts";

const floorPackageDir = join(providerDir, "dist", "bench-floor-package");

const flowSource = (i: number, note: string) => `id: f${i}\nnamespace: bench\ndescription: ${note}\ntasks:\n  - { id: t, type: core.log, message: hello ${i} }\n`;
const note = (i: number, changed: number) => (i === changed ? "changed" : "bench");

/** N meshplane_flow; flow `changed` (if any) carries another description. */
export const flowsConfig = (n: number, changed = -1) =>
  Array.from({ length: n }, (_, i) => `resource "meshplane_flow" "f${i}" {\n  namespace = "bench"\n  flow_id   = "f${i}"\n  source    = ${JSON.stringify(flowSource(i, note(i, changed)))}\n}\n`).join("");

/** The same N payloads as terraform_data: the baseline, with no provider process. */
export const dataConfig = (n: number, changed = -1) =>
  Array.from({ length: n }, (_, i) => `resource "terraform_data" "d${i}" {\n  input = ${JSON.stringify(flowSource(i, note(i, changed)))}\n}\n`).join("");

/**
 * The baseline's configuration names no provider but terraform's built-in one. (It used
 * to carry the meshplane required_providers block, so every baseline command also
 * started a meshplane provider process for its schema: ~0.2 s of a ~1.4 s no-op plan.)
 */
export function writeBaseline(ws: TerraformWorkspace, resources: string): void {
  writeFileSync(join(ws.dir, "main.tf"), resources);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall-clock seconds that `f` takes. */
export async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/**
 * The no-op plan of each workspace, `rounds` times, one workspace after the other in
 * every round, so that load from other work on the machine hits them all alike.
 * Answers the seconds of each workspace's plans; `onRound` sees each round's.
 */
export async function alternatingPlans(workspaces: readonly TerraformWorkspace[], rounds: number, parallelism: string, onRound?: (round: number, seconds: number[]) => void): Promise<number[][]> {
  const times = workspaces.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    const seconds: number[] = [];
    for (const ws of workspaces) seconds.push(await timed(() => ws.plan(0, parallelism)));
    seconds.forEach((s, i) => times[i]!.push(s));
    onRound?.(r + 1, seconds);
  }
  return times;
}

export interface BenchWorkspaces {
  server: TestServer;
  admin: ApiClient;
  mesh: TerraformWorkspace;
  base: TerraformWorkspace;
  floor: TerraformWorkspace;
  /** Removes the three workspaces and stops the control plane. */
  tearDown(): Promise<void>;
}

/** Fresh builds of the provider and the floor, a control plane with the `bench` namespace, the three workspaces written and initialised. */
export async function setUpWorkspaces(n: number): Promise<BenchWorkspaces> {
  await buildPackage();
  await buildPackage(floorPackageDir, "bench/floor-provider.ts");
  const server = await startServer();
  const mesh = new ProviderWorkspace({ MESHPLANE_ENDPOINT: server.url, MESHPLANE_API_KEY: server.adminKey, MESHPLANE_PROVIDER_TEST_RESOURCES: "0" });
  const base = new ProviderWorkspace();
  const floor = new ProviderWorkspace({ MESHPLANE_PROVIDER_TEST_RESOURCES: "0" }, floorPackageDir);
  const admin = new ApiClient(server.api, server.adminKey);
  await admin.post("/teams", { name: "bench" });
  await admin.post("/namespaces", { name: "bench", ownerTeam: "bench" });
  mesh.writeConfig(flowsConfig(n));
  writeBaseline(base, dataConfig(n));
  floor.writeConfig(flowsConfig(n));
  await mesh.init();
  await base.init();
  await floor.init();
  const tearDown = async () => {
    for (const ws of [mesh, base, floor]) ws.cleanup();
    await server.stop();
  };
  return { server, admin, mesh, base, floor, tearDown };
}
