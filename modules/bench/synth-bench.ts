/**
 * npm run bench -w @meshplane/modules
 *
 * Generates a 1,000-table domain (BENCH_TABLES to change) with realistic lineage
 * (generate-domain.ts), then synthesizes, each in a fresh process:
 *   - the baseline: as many `terraform_data` resources (cdktf's DataResource), no SqlDomain;
 *   - SqlDomain, Meshplane target (a meshplane_table and a meshplane_flow per table);
 *   - SqlDomain, both targets (plus a google_bigquery_table per table and view).
 * Time is from the first construct to cdk.tf.json written (module loading excluded, it is
 * the same for all), median and best of BENCH_RUNS (5) runs, with the CPU time of the median
 * run; peak RSS is the process's. Target: ≤ 3 s for the Meshplane target (median).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDomain } from "./generate-domain.ts";

interface CaseResult {
  kind: string;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  resources: number;
  jsonMb: number;
}

const TABLES = Number(process.env["BENCH_TABLES"] ?? 1000);
const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);
const TARGET_SECONDS = 3;
const moduleDir = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "meshplane-modules-bench-"));

try {
  const domain = generateDomain(join(work, "domain"), TABLES);
  const runCase = (kind: string, run: number): CaseResult => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "--conditions=meshplane-source", join(moduleDir, "bench", "synth-case.ts"), kind, domain.root, join(work, `out-${kind}-${run}`), String(TABLES)], {
      cwd: moduleDir,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    return JSON.parse(out.trim().split("\n").pop()!) as CaseResult;
  };
  /** The median run, and the best wall time (on a shared machine, the closest to the intrinsic cost). */
  const median = (kind: string): CaseResult & { best: number } => {
    const runs = Array.from({ length: RUNS }, (_, run) => runCase(kind, run)).sort((a, b) => a.seconds - b.seconds);
    return { ...runs[Math.floor(RUNS / 2)]!, best: runs[0]!.seconds };
  };
  const baseline = median("terraform_data");
  const meshplane = median("meshplane");
  const both = median("both");
  const row = (what: string, r: CaseResult & { best: number }, target?: number) => ({
    what,
    resources: r.resources,
    "construct → cdk.tf.json": `${r.seconds.toFixed(2)} s`,
    best: `${r.best.toFixed(2)} s`,
    "CPU time": `${r.cpuSeconds.toFixed(2)} s`,
    "vs baseline": `${(r.seconds / baseline.seconds).toFixed(1)}×`,
    "peak RSS": `${r.peakRssMb.toFixed(0)} MB`,
    "cdk.tf.json": `${r.jsonMb.toFixed(1)} MB`,
    target: target === undefined ? "" : `≤ ${target} s: ${r.seconds <= target ? "yes" : "NO"}`,
  });
  console.log(`\nSynthesis of a generated domain: ${domain.tables} tables + ${domain.views} views, median of ${RUNS} fresh processes (node ${process.version})`);
  // Wall time inflates on a busy machine; CPU time barely does. Both are printed, with the load.
  console.log(`${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")}\n`);
  console.table([
    row(`baseline: ${TABLES} terraform_data`, baseline),
    row(`SqlDomain, target meshplane`, meshplane, TARGET_SECONDS),
    row(`SqlDomain, target both`, both),
  ]);
  if (meshplane.seconds > TARGET_SECONDS) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
