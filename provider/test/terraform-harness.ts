// Drives the real `terraform` binary against the built provider in a throwaway
// folder: its own CLI config file (the machine's TF_CLI_CONFIG_FILE points at a
// missing file), its own plugin dir, its own echo store.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const providerDir = fileURLToPath(new URL("..", import.meta.url));
export const packageDir = join(providerDir, "dist", "package");
export const version = (JSON.parse(readFileSync(join(providerDir, "package.json"), "utf8")) as { version: string }).version;
export const binaryName = `terraform-provider-meshplane_v${version}`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, without colour codes. */
  output: string;
}

export class TerraformWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), "meshplane-tf-"));
  readonly dir = join(this.root, "work");
  readonly pluginDir = join(this.root, "plugins");
  readonly store = join(this.root, "echo-store.json");
  readonly env: NodeJS.ProcessEnv;

  /** `pkg`: the provider package to install (the bench also installs its reference provider). */
  constructor(extraEnv: NodeJS.ProcessEnv = {}, pkg = packageDir) {
    mkdirSync(this.dir);
    const cliConfig = join(this.root, "terraform.rc");
    writeFileSync(cliConfig, "# empty: this test installs providers with -plugin-dir only\n");
    const target = join(this.pluginDir, "registry.terraform.io", "meshplane", "meshplane", version, "linux_amd64");
    mkdirSync(target, { recursive: true });
    cpSync(pkg, target, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("TF_") || k.startsWith("MESHPLANE_")) delete env[k];
    this.env = {
      ...env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      NO_COLOR: "1",
      MESHPLANE_PROVIDER_TEST_RESOURCES: "1",
      MESHPLANE_TEST_ECHO_STORE: this.store,
      ...extraEnv,
    };
  }

  writeConfig(resources: string, providerBlock = 'provider "meshplane" {}'): void {
    writeFileSync(join(this.dir, "main.tf"), `terraform {\n  required_providers {\n    meshplane = { source = "meshplane/meshplane" }\n  }\n}\n\n${providerBlock}\n\n${resources}\n`);
  }

  run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      execFile("terraform", args, { cwd: this.dir, env: { ...this.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr, output: stripAnsi(stdout + stderr) });
      });
    });
  }

  /** Runs terraform and fails the test with its output unless the exit code is `expected`. */
  async ok(args: string[], expected = 0, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const r = await this.run(args, env);
    if (r.code !== expected) throw new Error(`terraform ${args.join(" ")} exited ${r.code} (expected ${expected}):\n${r.output}`);
    return r;
  }

  init(): Promise<RunResult> {
    return this.ok(["init", "-input=false", `-plugin-dir=${this.pluginDir}`]);
  }
  apply(...extra: string[]): Promise<RunResult> {
    return this.ok(["apply", "-auto-approve", "-input=false", ...extra]);
  }
  /** plan -detailed-exitcode: 0 = no changes, 2 = changes. */
  plan(expected: 0 | 2 | 1, ...extra: string[]): Promise<RunResult> {
    return this.ok(["plan", "-input=false", "-detailed-exitcode", ...extra], expected);
  }

  spawn(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn("terraform", args, { cwd: this.dir, env: { ...this.env, ...env }, detached: true });
  }

  async stateJson(): Promise<{ values?: { root_module?: { resources?: { address: string; values: Record<string, unknown>; tainted?: boolean }[] } } }> {
    const r = await this.ok(["show", "-json"]);
    return JSON.parse(r.stdout) as never;
  }

  readStore(): Record<string, Record<string, unknown>> {
    try {
      return JSON.parse(readFileSync(this.store, "utf8")) as never;
    } catch {
      return {};
    }
  }
  writeStore(all: Record<string, unknown>): void {
    writeFileSync(this.store, JSON.stringify(all, null, 2));
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, "");
}

/** Terraform's h1: package hash (dirhash Hash1) of a folder. */
export function h1Hash(dir: string): string {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split("\\").join("/"))
    .sort();
  const summary = files.map((f) => `${createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")}  ${f}\n`).join("");
  return `h1:${createHash("sha256").update(summary).digest("base64")}`;
}
