// npm run bench -w @meshplane/provider: in one run, against a real control plane,
//   - terraform apply creating 1,000 meshplane_flow vs 1,000 terraform_data (the
//     baseline: built into terraform, no provider process),
//   - the no-op plan of each (median of 5 alternating runs),
//   - a one-flow change (apply) vs one terraform_data change,
//   - provider start-up to handshake (median) and the provider's peak RSS
//     (during the 1,000-flow apply, and at handshake).
// Each is also run with the floor (bench/floor-provider.ts): the same schema on the
// same stack, answering every RPC without doing anything. floor ÷ baseline is what
// the plugin protocol costs on Node whatever a provider does; meshplane ÷ floor is
// what our own code adds. Prints a table with the ratios and the targets.
// BENCH_FLOWS overrides 1,000.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";
import { alternatingPlans, dataConfig, flowsConfig, median, setUpWorkspaces, timed, writeBaseline } from "./bench-workspaces.ts";

const N = Number(process.env.BENCH_FLOWS ?? 1000);
const PARALLELISM = "-parallelism=10"; // terraform's default, stated so both sides surely match
const PLAN_ROUNDS = 5;

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

const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const row = (what: string, meshplane: number, floor: number, baseline: number, target: number) => ({
  what,
  meshplane: `${meshplane.toFixed(2)} s`,
  floor: `${floor.toFixed(2)} s`,
  baseline: `${baseline.toFixed(2)} s`,
  "meshplane ÷ baseline": x(meshplane, baseline),
  "floor ÷ baseline": x(floor, baseline),
  "meshplane ÷ floor": x(meshplane, floor),
  target: Number.isFinite(target) ? `≤ ${target}×` : "(reported)",
  met: Number.isFinite(target) ? (meshplane / baseline <= target ? "yes" : "NO") : "-",
});

const { admin, mesh, base, floor, tearDown } = await setUpWorkspaces(N);
try {
  const baseApply = await timed(() => base.apply(PARALLELISM));
  const meshApply = await withPeakRss(async () => void (await mesh.apply(PARALLELISM)));
  const floorApply = await timed(() => floor.apply(PARALLELISM));
  // The no-op plan takes seconds, so one sample of each side is at the mercy of other
  // work on the machine: the median of PLAN_ROUNDS alternating runs of each.
  const [basePlans, meshPlans, floorPlans] = (await alternatingPlans([base, mesh, floor], PLAN_ROUNDS, PARALLELISM)) as [number[], number[], number[]];
  writeBaseline(base, dataConfig(N, 7));
  mesh.writeConfig(flowsConfig(N, 7));
  floor.writeConfig(flowsConfig(N, 7));
  const baseChange = await timed(() => base.apply(PARALLELISM));
  const meshChange = await timed(() => mesh.apply(PARALLELISM));
  const floorChange = await timed(() => floor.apply(PARALLELISM));
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
  console.log("floor: the same flows on a provider that does nothing (bench/floor-provider.ts), on the same stack");
  console.table([
    row(`apply: create ${N}`, meshApply.seconds, floorApply, baseApply, 1.3),
    row(`plan: no-op over ${N} (median of ${PLAN_ROUNDS})`, median(meshPlans), median(floorPlans), median(basePlans), 1.5),
    row("apply: change one of them", meshChange, floorChange, baseChange, Infinity),
  ]);
  console.table([
    { what: "provider start-up to handshake (median of 20)", value: `${startup.startupMsMedian} ms (max ${startup.startupMsMax})`, target: "≤ 250 ms", ok: startup.startupMsMedian <= 250 ? "yes" : "NO" },
    { what: `provider peak RSS (during the ${N}-flow apply)`, value: `${meshApply.peakMb.toFixed(1)} MB`, target: "≤ 120 MB", ok: meshApply.peakMb <= 120 ? "yes" : "NO" },
    { what: "provider RSS at handshake (median)", value: `${startup.peakRssMbMedian} MB`, target: "-", ok: "-" },
  ]);
} finally {
  await tearDown();
}
