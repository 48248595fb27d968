// A terraform working folder for the e2e test, with a private copy of the provider.
// Not provider/test/terraform-harness.ts: that copies provider/dist/package, which the
// provider's own tests rebuild (rm + write) while the projects run in parallel; building
// into a folder of our own (scripts/build.mjs <outDir>) cannot race with them.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const providerDir = fileURLToPath(new URL("../../../provider/", import.meta.url));
const version = (JSON.parse(readFileSync(join(providerDir, "package.json"), "utf8")) as { version: string }).version;

/** Builds the provider package into a fresh folder and returns it. */
export function buildProvider(into: string): string {
  const out = join(into, "provider-package");
  execFileSync(process.execPath, ["scripts/build.mjs", out], { cwd: providerDir, stdio: "inherit" });
  return out;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  /** stdout + stderr. */
  readonly output: string;
}

export class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), "meshplane-modules-tf-"));
  readonly dir = join(this.root, "work");
  private readonly pluginDir = join(this.root, "plugins");
  private readonly env: NodeJS.ProcessEnv;

  constructor(providerPackage: string, extraEnv: Record<string, string>) {
    mkdirSync(this.dir);
    cpSync(providerPackage, join(this.pluginDir, "registry.terraform.io", "meshplane", "meshplane", version, "linux_amd64"), { recursive: true });
    const cliConfig = join(this.root, "terraform.rc");
    writeFileSync(cliConfig, "# empty: providers come from -plugin-dir only\n");
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("TF_") || k.startsWith("MESHPLANE_")) delete env[k];
    this.env = { ...env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", NO_COLOR: "1", ...extraEnv };
  }

  /** Runs terraform; fails with its output unless the exit code is `expected`. */
  ok(args: string[], expected = 0): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      execFile("terraform", args, { cwd: this.dir, env: this.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        // terraform colours its output even with NO_COLOR: strip the escapes.
        const result = { code, stdout, output: (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, "") };
        if (code !== expected) reject(new Error(`terraform ${args.join(" ")} exited ${code} (expected ${expected}):\n${result.output}`));
        else resolve(result);
      });
    });
  }

  init = () => this.ok(["init", "-input=false", `-plugin-dir=${this.pluginDir}`]);
  apply = () => this.ok(["apply", "-auto-approve", "-input=false"]);
  /** plan -detailed-exitcode: 0 = no changes, 2 = changes. */
  plan = (expected: 0 | 2) => this.ok(["plan", "-input=false", "-detailed-exitcode"], expected);

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
