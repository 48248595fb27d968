/**
 * The real `terraform` on PATH, run in a working dir of the data dir with a CLI config
 * file of our own (TF_CLI_CONFIG_FILE): whatever ~/.terraformrc or TF_* the machine has
 * does not leak in, and nothing is written outside the data dir.
 */
import { writeFileSync } from "node:fs";
import { run, type Finished } from "./children.ts";

export interface PlanResult {
  readonly changes: boolean;
  /** "Plan: 9 to add, 0 to change, 0 to destroy." or "No changes." */
  readonly summary: string;
  readonly output: string;
}

export class PlanRefused extends Error {
  constructor(
    readonly diagnostics: string,
    readonly output: string,
  ) {
    super(`terraform plan failed:\n${diagnostics}`);
  }
}

/** An empty CLI config (no credentials, no mirrors, no plugin cache): the provider comes from -plugin-dir. */
export function writeCliConfig(file: string): void {
  writeFileSync(file, "# Written by the Meshplane quickstart: providers come from terraform init -plugin-dir only.\ndisable_checkpoint = true\n");
}

export class TerraformDir {
  readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly dir: string,
    cliConfig: string,
    meshplane: { endpoint: string; apiKey: string },
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("TF_") || k.startsWith("MESHPLANE_")) delete env[k];
    this.env = {
      ...env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      // The provider block reads these, as in CI (repository secrets).
      MESHPLANE_ENDPOINT: meshplane.endpoint,
      MESHPLANE_API_KEY: meshplane.apiKey,
    };
  }

  private run(args: string[]): Promise<Finished> {
    return run("terraform", [...args], { cwd: this.dir, env: this.env });
  }

  private async ok(args: string[]): Promise<Finished> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`terraform ${args[0]} failed in ${this.dir}:\n${diagnosticsOf(r.output) || r.output}`);
    return r;
  }

  /** Offline: the provider from pluginDir only. -upgrade accepts a rebuilt provider whose sources changed. */
  init(pluginDir: string): Promise<Finished> {
    return this.ok(["init", "-input=false", "-no-color", "-upgrade", `-plugin-dir=${pluginDir}`]);
  }

  /** Saves the plan to quickstart.tfplan when there are changes; a failed plan throws PlanRefused with its diagnostics. */
  async plan(): Promise<PlanResult> {
    const r = await this.run(["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=quickstart.tfplan"]);
    if (r.code === 1) throw new PlanRefused(diagnosticsOf(r.output), r.output);
    if (r.code !== 0 && r.code !== 2) throw new Error(`terraform plan exited ${r.code} in ${this.dir}:\n${r.output}`);
    const summary = /^(Plan: .*|No changes\..*)$/m.exec(r.output)?.[1] ?? (r.code === 2 ? "changes" : "No changes.");
    return { changes: r.code === 2, summary, output: r.output };
  }

  /** Applies exactly the plan that was shown. */
  async apply(): Promise<string> {
    const r = await this.ok(["apply", "-input=false", "-no-color", "quickstart.tfplan"]);
    return /^Apply complete!.*$/m.exec(r.output)?.[0] ?? "Apply complete!";
  }

  /** Every output with its value (sensitive ones included: they stay in this process). */
  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.ok(["output", "-json"]);
    const parsed = JSON.parse(r.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }
}

export async function terraformVersion(): Promise<string> {
  const r = await run("terraform", ["version", "-json"], { cwd: process.cwd(), env: { ...process.env, CHECKPOINT_DISABLE: "1" } }).catch(() => undefined);
  if (!r || r.code !== 0) throw new Error("terraform was not found on PATH: install Terraform ≥ 1.5 (https://developer.hashicorp.com/terraform/install) and run again");
  return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
}

/** The "Error: …" blocks of terraform's output (each with its detail), without the surrounding noise. */
export function diagnosticsOf(output: string): string {
  const start = output.search(/^(│ )?Error: /m);
  if (start < 0) return "";
  return output
    .slice(start)
    .split("\n")
    .map((l) => l.replace(/^[│╷╵] ?/, ""))
    .join("\n")
    .trim();
}
