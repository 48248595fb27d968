// npm run bench -w @meshplane/provider: in one run, against a real control plane,
//   - terraform apply creating 1,000 meshplane_flow vs 1,000 terraform_data (the
//     baseline: built into terraform, no provider process),
//   - the no-op plan of each (median of 5 alternating runs),
//   - a one-flow change (apply) vs one terraform_data change,
//   - provider start-up to handshake (median) and the provider's peak RSS
//     (during the 1,000-flow apply, and at handshake).
// Prints a table with the ratios and the targets. BENCH_FLOWS overrides 1,000.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";
import { dataConfig, flowsConfig, median, setUpWorkspaces, writeBaseline } from "./bench-workspaces.ts";

const N = Number(process.env.BENCH_FLOWS ?? 1000);
const PARALLELISM = "-parallelism=10"; // terraform's default, stated so both sides surely match
const PLAN_ROUNDS = 5;

async function timed<T>(f: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Samples the peak RSS (VmHWM) of every provider process while `f` runs. */
async function withPeakRss(f: () => Promise<void>): Promise<{ seconds: number; peakMb: number }> {
  let peakKb = 0;
  const sample = () => {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("provider.cjs")) continue;
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
        peakKb = Math.max(peakKb, hwm);
      } catch {
        /* the process ended meanwhile */
      }
    }
  };
  const timer = setInterval(sample, 50);
  try {
    const seconds = await timed(f);
    return { seconds, peakMb: peakKb / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const row = (what: string, meshplane: number, baseline: number, target: number, unit = "s") =>
  ({ what, meshplane: `${meshplane.toFixed(2)} ${unit}`, baseline: `${baseline.toFixed(2)} ${unit}`, ratio: `${(meshplane / baseline).toFixed(2)}×`, target: `≤ ${target}×`, ok: meshplane / baseline <= target ? "yes" : "NO" });

const { server, admin, mesh, base } = await setUpWorkspaces(N);
try {

  const baseApply = await timed(() => base.apply(PARALLELISM));
  const meshApply = await withPeakRss(async () => void (await mesh.apply(PARALLELISM)));
  // The no-op plan takes seconds, so one sample of each side is at the mercy of other
  // work on the machine: the median of PLAN_ROUNDS alternating runs of each.
  const basePlans: number[] = [];
  const meshPlans: number[] = [];
  for (let r = 0; r < PLAN_ROUNDS; r++) {
    basePlans.push(await timed(() => base.plan(0, PARALLELISM)));
    meshPlans.push(await timed(() => mesh.plan(0, PARALLELISM)));
  }
  const basePlan = median(basePlans);
  const meshPlan = median(meshPlans);
  writeBaseline(base, dataConfig(N, 7));
  mesh.writeConfig(flowsConfig(N, 7));
  const baseChange = await timed(() => base.apply(PARALLELISM));
  const meshChange = await timed(() => mesh.apply(PARALLELISM));
  const flow = (await admin.get("/flows/bench/f7")).body as { revision: number };
  if (flow.revision !== 2) throw new Error(`the one-flow change did not reach the API (revision ${flow.revision})`);

  const startup = JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname ?? "bench", "startup.mjs"), "20"], { cwd: join(import.meta.dirname ?? ".", ".."), encoding: "utf8" }).trim().split("\n").at(-1)!) as {
    startupMsMedian: number;
    startupMsMax: number;
    peakRssMbMedian: number;
  };

  console.log(`\nterraform-provider-meshplane bench: ${N} flows vs ${N} terraform_data, ${PARALLELISM}, ${new Date().toISOString()}`);
  // Other work on the machine slows both sides, but not equally (the flows wait on the API too): say how loaded it was.
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")} (1 / 5 / 15 min)`);
  console.table([
    row(`apply: create ${N}`, meshApply.seconds, baseApply, 1.3),
    row(`plan: no-op over ${N} (median of ${PLAN_ROUNDS})`, meshPlan, basePlan, 1.5),
    { ...row("apply: change one of them", meshChange, baseChange, Infinity), target: "(reported)", ok: "-" },
  ]);
  console.table([
    { what: "provider start-up to handshake (median of 20)", value: `${startup.startupMsMedian} ms (max ${startup.startupMsMax})`, target: "≤ 250 ms", ok: startup.startupMsMedian <= 250 ? "yes" : "NO" },
    { what: `provider peak RSS (during the ${N}-flow apply)`, value: `${meshApply.peakMb.toFixed(1)} MB`, target: "≤ 120 MB", ok: meshApply.peakMb <= 120 ? "yes" : "NO" },
    { what: "provider RSS at handshake (median)", value: `${startup.peakRssMbMedian} MB`, target: "-", ok: "-" },
  ]);
} finally {
  mesh.cleanup();
  base.cleanup();
  await server.stop();
}
