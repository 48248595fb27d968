// The one driver of the real `terraform` binary for every package's tests: a throwaway
// folder with its own CLI config file (whatever ~/.terraformrc, TF_CLI_CONFIG_FILE or
// TF_* the machine has does not leak in), its own plugin dir holding a copy of a provider
// package, init/plan/apply/destroy, the JSON plan and state.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Node's names → Go's, as Terraform spells a platform (`linux_amd64`, `darwin_arm64`). */
const GO_ARCH: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
const GO_OS: Record<string, string> = { win32: "windows" };

/** This machine's platform as Terraform names it in plugin folders: `<os>_<arch>`. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  return `${GO_OS[platform] ?? platform}_${GO_ARCH[arch] ?? arch}`;
}

export interface ProviderPackage {
  /** The folder holding `terraform-provider-<type>_v<version>` (and what it runs). */
  readonly dir: string;
  readonly type: string;
  readonly version: string;
}

/** Reads type and version from the plugin binary's name, so a package folder is all a caller gives. */
export function providerPackage(dir: string): ProviderPackage {
  const names = readdirSync(dir);
  const binary = names.map((n) => /^terraform-provider-([a-z0-9-]+)_v(\d[^/]*)$/.exec(n)).find((m) => m !== null);
  if (!binary) throw new Error(`${dir} holds no terraform-provider-<type>_v<version> binary (found: ${names.join(", ") || "nothing"}): build the provider package first`);
  return { dir, type: binary[1]!, version: binary[2]! };
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr, without colour codes. */
  readonly output: string;
}

export interface WorkspaceOptions {
  /** A provider package folder to install into the plugin dir as registry.terraform.io/meshplane/<type>. */
  readonly provider?: string;
  /** Added to the sanitized environment (the provider reads MESHPLANE_* from it, as in CI). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly module_address?: string;
  readonly change: { actions: string[]; after: Record<string, unknown>; after_unknown: Record<string, unknown> };
}

export interface JsonPlan {
  readonly resource_changes?: PlannedChange[];
  readonly output_changes?: Record<string, { after: unknown }>;
}

export interface JsonState {
  values?: { root_module?: { resources?: { address: string; values: Record<string, unknown>; tainted?: boolean }[] } };
}

export class TerraformWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), "meshplane-tf-"));
  readonly dir = join(this.root, "work");
  readonly pluginDir = join(this.root, "plugins");
  readonly env: NodeJS.ProcessEnv;

  constructor(options: WorkspaceOptions = {}) {
    mkdirSync(this.dir);
    const cliConfig = join(this.root, "terraform.rc");
    writeFileSync(cliConfig, "# empty: providers come from terraform init -plugin-dir only\n");
    if (options.provider) {
      const pkg = providerPackage(options.provider);
      const target = join(this.pluginDir, "registry.terraform.io", "meshplane", pkg.type, pkg.version, terraformPlatform());
      mkdirSync(target, { recursive: true });
      cpSync(pkg.dir, target, { recursive: true });
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("TF_") || k.startsWith("MESHPLANE_")) delete env[k];
    this.env = { ...env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", NO_COLOR: "1", ...options.env };
  }

  /** main.tf requiring meshplane/meshplane, with `providerBlock` and `resources`. */
  writeConfig(resources: string, providerBlock = 'provider "meshplane" {}'): void {
    writeFileSync(join(this.dir, "main.tf"), `terraform {\n  required_providers {\n    meshplane = { source = "meshplane/meshplane" }\n  }\n}\n\n${providerBlock}\n\n${resources}\n`);
  }

  run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      execFile("terraform", args, { cwd: this.dir, env: { ...this.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        // terraform colours some output even with NO_COLOR: strip the escapes.
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
  /** plan -detailed-exitcode: 0 = no changes, 2 = changes, 1 = error. */
  plan(expected: 0 | 2 | 1, ...extra: string[]): Promise<RunResult> {
    return this.ok(["plan", "-input=false", "-detailed-exitcode", ...extra], expected);
  }
  destroy(...extra: string[]): Promise<RunResult> {
    return this.ok(["destroy", "-auto-approve", "-input=false", ...extra]);
  }

  /** `plan -out` + `show -json`: the plan as Terraform's JSON plan representation. */
  async planJson(...extra: string[]): Promise<JsonPlan> {
    await this.ok(["plan", "-input=false", "-out=tfplan", ...extra]);
    return JSON.parse((await this.ok(["show", "-json", "tfplan"])).stdout) as JsonPlan;
  }

  async stateJson(): Promise<JsonState> {
    return JSON.parse((await this.ok(["show", "-json"])).stdout) as JsonState;
  }

  /** Every output with its value (sensitive ones included). */
  async outputs(): Promise<Record<string, unknown>> {
    const parsed = JSON.parse((await this.ok(["output", "-json"])).stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }

  /** A terraform process of its own process group (for tests that signal it). */
  spawn(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn("terraform", args, { cwd: this.dir, env: { ...this.env, ...env }, detached: true });
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
