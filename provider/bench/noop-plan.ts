// Where a no-op plan's time goes: sets up N flows, N terraform_data and the N flows on
// the do-nothing floor provider once, then runs the no-op plan of each ROUNDS times,
// alternating (so load from other work on the machine hits all alike), and prints the
// medians and their ratios, the
// control plane's requests per route during one plan of the flows, and the provider's
// per-RPC time from its own debug log (wall time per call, as Terraform waits for it).
//   node scripts/run-ts.mjs bench/noop-plan.ts          (BENCH_FLOWS=1000, ROUNDS=5)
//   PROFILE_DIR=/tmp/prof …                             also writes one CPU profile per
//                                                       provider process of an extra plan
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { alternatingPlans, median, setUpWorkspaces } from "./bench-workspaces.ts";

const N = Number(process.env.BENCH_FLOWS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PAR = "-parallelism=10";

const load = () => loadavg().map((l) => l.toFixed(1)).join(" / ");

async function requestCounts(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^meshplane_http_requests_total\{method="(\w+)",route="([^"]*)",status="(\d+)"\} (\d+)/gm)) {
    const key = `${m[1]} ${m[2]} ${m[3]}`;
    out.set(key, (out.get(key) ?? 0) + Number(m[4]));
  }
  return out;
}

const { server, mesh, base, floor, tearDown } = await setUpWorkspaces(N);
try {
  await base.apply("-parallelism=30");
  await mesh.apply("-parallelism=30");
  await floor.apply("-parallelism=30");
  if (process.env.HOLD) {
    // Keep the server and both workspaces for manual runs (terraform plan in mesh.dir with mesh.env) until killed.
    writeFileSync(process.env.HOLD, JSON.stringify({ mesh: { dir: mesh.dir, pluginDir: mesh.pluginDir, env: mesh.env }, base: { dir: base.dir, env: base.env }, server: server.url }));
    console.log(`holding; state in ${process.env.HOLD}`);
    await new Promise<void>((resolve) => process.once("SIGTERM", () => resolve()));
  }
  console.log(`${N} flows vs ${N} terraform_data and ${N} flows on the floor, ${PAR}, ${cpus().length} cores, load before: ${load()}`);

  const times = await alternatingPlans([base, mesh, floor], ROUNDS, PAR, (r, [b, m, f]) =>
    console.log(`round ${r}: baseline ${b!.toFixed(2)} s, meshplane ${m!.toFixed(2)} s, floor ${f!.toFixed(2)} s, load ${load()}`),
  );
  const [b, m, f] = times.map(median) as [number, number, number];
  console.log(`median of ${ROUNDS}: baseline ${b.toFixed(2)} s, meshplane ${m.toFixed(2)} s (${(m / b).toFixed(2)}×, target ≤ 1.5×), floor ${f.toFixed(2)} s (${(f / b).toFixed(2)}×), load ${load()}`);

  // One more plan of the flows with the provider's trace log (per-RPC times) and the API's request counts.
  const before = await requestCounts(server.url);
  const logFile = join(mesh.root, "provider.log");
  await mesh.ok(["plan", "-input=false", "-detailed-exitcode", PAR], 0, { TF_LOG_PROVIDER: "trace", TF_LOG_PATH: logFile });
  const after = await requestCounts(server.url);
  console.log("API requests during one no-op plan of the flows (with /metrics itself):");
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) console.log(`  ${k}: ${v - (before.get(k) ?? 0)}`);
  // And one without logs, profiled (logging would distort the profile).
  const profileDir = process.env.PROFILE_DIR;
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    await mesh.ok(["plan", "-input=false", "-detailed-exitcode", PAR], 0, { MESHPLANE_PROVIDER_CPU_PROFILE_DIR: profileDir });
  }
  const rpcs = new Map<string, { n: number; ms: number; max: number }>();
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    // TF_LOG_PATH holds hclog's text lines: "…meshplane_v0.1.0: ReadResource done: @module=meshplane ms=0.4 …".
    const m = /: (\w+) done: .*?\bms=([\d.]+)/.exec(line);
    if (!m) continue;
    const s = rpcs.get(m[1]!) ?? { n: 0, ms: 0, max: 0 };
    s.n++;
    s.ms += Number(m[2]);
    s.max = Math.max(s.max, Number(m[2]));
    rpcs.set(m[1]!, s);
  }
  console.log("provider RPCs during that plan (count, total ms of handler wall time, max):");
  for (const [k, s] of rpcs) console.log(`  ${k}: ${s.n}, ${s.ms.toFixed(0)} ms, max ${s.max} ms`);
  if (process.env.KEEP_LOG) copyFileSync(logFile, process.env.KEEP_LOG);
} finally {
  await tearDown();
}
