// Builds the self-contained provider package: dist/package/ holds
//   terraform-provider-meshplane_v<version>   a launcher script (what Terraform runs)
//   provider.cjs                              the whole provider, bundled by esbuild
// Reproducible: the same sources give the same bytes, hence the same h1: hash in
// .terraform.lock.hcl (Terraform hashes the whole folder).
import { build } from "esbuild";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const providerDir = fileURLToPath(new URL("..", import.meta.url));
export const version = JSON.parse(readFileSync(join(providerDir, "package.json"), "utf8")).version;
export const binaryName = `terraform-provider-meshplane_v${version}`;

const LAUNCHER = `#!/bin/sh
# terraform-provider-meshplane ${version}: Terraform runs this file; it runs the
# bundled provider with Node.js 20 or later (MESHPLANE_NODE overrides \`node\`).
exec "\${MESHPLANE_NODE:-node}" "$(dirname "$0")/provider.cjs" "$@"
`;

/** Builds into outDir (default dist/package) and returns it; `entry` is for the bench's reference provider. */
export async function buildPackage(outDir = join(providerDir, "dist", "package"), entry = "src/main.ts") {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: providerDir,
    entryPoints: [entry],
    outfile: join(outDir, "provider.cjs"),
    bundle: true,
    // Workspace packages (@meshplane/rules, @meshplane/modules/core) from their sources, never a stale dist/.
    conditions: ["meshplane-source"],
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    // Names stay readable in stack traces that end up in diagnostics and logs.
    keepNames: true,
    legalComments: "eof",
    logLevel: "warning",
  });
  writeFileSync(join(outDir, binaryName), LAUNCHER);
  chmodSync(join(outDir, binaryName), 0o755);
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildPackage(process.argv[2]);
  console.error(`built ${out}`);
}
