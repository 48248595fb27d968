/**
 * What `npm run quickstart` does, as a library (the end-to-end test runs the same code):
 * start the control plane, install the provider into the data dir, then for each example
 * repository do what its CI does — synthesize, terraform init, plan, apply the plan —
 * with the platform-admin key for the platform repository and each team's own CI key
 * (a sensitive output of the platform) for the domains. A plan refused by governance
 * (a missing trigger grant) is an outcome to show, not a failure of the quickstart.
 */
import { mkdirSync } from "node:fs";
import { run } from "./children.ts";
import { startControlPlane, type ControlPlane } from "./control-plane.ts";
import { PROVIDER_INSTALL_SCRIPT, quickstartPaths, REPO_ROOT } from "./paths.ts";
import { REPOSITORIES, type ExampleRepository } from "./repositories.ts";
import { shown } from "./report.ts";
import { runMesh, type MeshRun } from "./mesh.ts";
import { readSummary, type Summary } from "./summary.ts";
import { synthesize } from "./synth.ts";
import { PlanRefused, TerraformDir, terraformVersion, writeCliConfig } from "./terraform.ts";

export interface RepositoryOutcome {
  readonly repository: ExampleRepository;
  /** Whose key the run used, e.g. "sales-ci (team sales)". */
  readonly identity: string;
  readonly result: "applied" | "unchanged" | "refused";
  /** terraform's plan line ("Plan: 7 to add, …", "No changes.") or, when refused, its first error line. */
  readonly plan: string;
  /** The plan's diagnostics when refused. */
  readonly refusal?: string;
  readonly ms: number;
}

export interface QuickstartRun {
  readonly dataDir: string;
  readonly paths: ReturnType<typeof quickstartPaths>;
  readonly controlPlane: ControlPlane;
  readonly terraformVersion: string;
  readonly outcomes: RepositoryOutcome[];
  /** Service account → its API key, from the platform's outputs. */
  readonly keys: Record<string, string>;
  readonly summary: Summary;
  /** The two days of landing data and the executions they set off (mesh.ts). */
  readonly mesh: MeshRun;
}

export interface QuickstartOptions {
  readonly dataDir: string;
  readonly host?: string;
  readonly port?: number;
  /** Progress, as it happens (a line, or the start of one when `partial`). */
  readonly progress?: (text: string, partial?: boolean) => void;
}

/** Leaves the control plane running (the caller stops it); on any error, stops it and throws. */
export async function runQuickstart(options: QuickstartOptions): Promise<QuickstartRun> {
  const say = options.progress ?? (() => undefined);
  const version = await terraformVersion();
  const paths = quickstartPaths(options.dataDir);
  // 0700: the terraform states below hold the teams' API keys.
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });

  say("Starting the control plane and building the provider…", true);
  const [started, installed] = await Promise.allSettled([
    startControlPlane({ dataDir: options.dataDir, logFile: paths.serverLog, host: options.host ?? "127.0.0.1", ...(options.port !== undefined ? { port: options.port } : {}) }),
    installProvider(paths.pluginDir),
  ]);
  if (started.status === "rejected") throw started.reason;
  const controlPlane = started.value;
  try {
    if (installed.status === "rejected") throw installed.reason;
    say(" done.");
    const key = controlPlane.adminKeyFile ? `${shown(controlPlane.adminKeyFile)} (service account platform-admin, made by the bootstrap)` : "MESHPLANE_ADMIN_API_KEY";
    say(`  control plane  ${controlPlane.url}  (started in ${(controlPlane.startedMs / 1000).toFixed(1)} s; log: ${shown(paths.serverLog)})`);
    say(`  admin key      ${key}`);
    say(`  provider       meshplane/meshplane in ${shown(paths.pluginDir)}, for terraform ${version} init -plugin-dir`);
    say("");
    say("Each example repository, as its CI runs it (synthesize main.ts, terraform init, plan, apply the plan):");
    writeCliConfig(paths.terraformRc);
    const keys: Record<string, string> = {};
    const outcomes: RepositoryOutcome[] = [];
    for (const repository of REPOSITORIES) {
      say(`  ${repository.name.padEnd(10)}`, true);
      const outcome = await applyRepository(repository, controlPlane, paths, keys);
      outcomes.push(outcome);
      say(`${outcome.identity.padEnd(28)}${describe(outcome)}`);
      if (repository.key.kind === "admin") Object.assign(keys, await platformKeys(new TerraformDir(paths.workDir(repository.name), paths.terraformRc, { endpoint: controlPlane.url, apiKey: controlPlane.adminKey })));
    }
    const summary = await readSummary(`${controlPlane.url}/api/v1`, controlPlane.adminKey);
    say("");
    say("Running the mesh: landing data, then the flows the 03:00 schedules would start (the triggers start the rest):");
    const mesh = await runMesh(`${controlPlane.url}/api/v1`, controlPlane.adminKey, say);
    return { dataDir: options.dataDir, paths, controlPlane, terraformVersion: version, outcomes, keys, summary, mesh };
  } catch (error) {
    await controlPlane.stop();
    throw error;
  }
}

async function applyRepository(repository: ExampleRepository, controlPlane: ControlPlane, paths: ReturnType<typeof quickstartPaths>, keys: Record<string, string>): Promise<RepositoryOutcome> {
  const started = Date.now();
  const apiKey = repository.key.kind === "admin" ? controlPlane.adminKey : keys[repository.key.name];
  if (!apiKey) throw new Error(`the platform's outputs hold no key for ${repository.key.kind === "admin" ? "admin" : repository.key.name}`);
  const identity = repository.key.kind === "admin" ? "platform-admin (bootstrap)" : `${repository.key.name} (team ${repository.key.team})`;
  const workDir = paths.workDir(repository.name);
  await synthesize(repository.dir, workDir);
  const tf = new TerraformDir(workDir, paths.terraformRc, { endpoint: controlPlane.url, apiKey });
  await tf.init(paths.pluginDir);
  const ms = () => Date.now() - started;
  try {
    const plan = await tf.plan();
    if (!plan.changes) return { repository, identity, result: "unchanged", plan: plan.summary, ms: ms() };
    await tf.apply();
    return { repository, identity, result: "applied", plan: plan.summary, ms: ms() };
  } catch (error) {
    // Governance refusing a domain's plan is what a pull request would show; anything else is a failure.
    if (error instanceof PlanRefused && repository.key.kind !== "admin" && /grant/i.test(error.diagnostics)) {
      return { repository, identity, result: "refused", plan: error.diagnostics.split("\n")[0]!, refusal: error.diagnostics, ms: ms() };
    }
    throw error;
  }
}

async function platformKeys(tf: TerraformDir): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(await tf.outputs())) {
    if (name.startsWith("api_key_") && typeof value === "string") keys[name.slice("api_key_".length)] = value;
  }
  return keys;
}

/** The documented installation (provider/scripts/install-local.mjs), into a folder for `terraform init -plugin-dir`. */
async function installProvider(pluginDir: string): Promise<void> {
  const r = await run(process.execPath, [PROVIDER_INSTALL_SCRIPT, "--plugin-dir", pluginDir], { cwd: REPO_ROOT, env: process.env });
  if (r.code !== 0) throw new Error(`installing the provider failed:\n${r.output}`);
}

function describe(o: RepositoryOutcome): string {
  const secs = `(${(o.ms / 1000).toFixed(1)} s)`;
  if (o.result === "applied") return `${o.plan.replace(/\.$/, "")} → applied ${secs}`;
  if (o.result === "unchanged") return `No changes ${secs}`;
  return `plan refused ${secs}`;
}
