// What the modules' terraform tests add to @meshplane/test-kit's driver: a provider built
// into a folder of their own, and a stack synthesized into a workspace.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import type { TerraformWorkspace } from "@meshplane/test-kit";

const providerDir = dirname(createRequire(import.meta.url).resolve("@meshplane/provider/package.json"));

/**
 * Builds the provider package into a fresh folder and returns it. Not the provider's
 * dist/package: the provider's own tests rebuild that (rm + write) while the projects run
 * in parallel; a folder of our own (scripts/build.mjs <outDir>) cannot race with them.
 */
export function buildProvider(into: string): string {
  const out = join(into, "provider-package");
  execFileSync(process.execPath, ["scripts/build.mjs", out], { cwd: providerDir, stdio: "inherit" });
  return out;
}

/** Synthesizes one stack with a real App (as `cdktf synth` would) into the workspace's folder. */
export function synthInto(ws: TerraformWorkspace, build: (stack: TerraformStack) => Construct): void {
  const outdir = join(ws.root, "cdktf.out");
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "stack");
  // Without a backend, cdktf writes one whose state file is terraform.<stack>.tfstate in the
  // synth's working directory (the repository root here): every workspace would share it.
  new LocalBackend(stack, { path: "terraform.tfstate" });
  new MeshplaneProvider(stack, "meshplane", {}); // endpoint and key from MESHPLANE_* (as CI sets them)
  build(stack);
  app.synth();
  copyFileSync(join(outdir, "stacks", "stack", "cdk.tf.json"), join(ws.dir, "cdk.tf.json"));
}
