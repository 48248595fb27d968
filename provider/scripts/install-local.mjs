// Builds the provider and installs it where Terraform finds it without network:
//   node scripts/install-local.mjs                    → Terraform's implied local mirror
//     ~/.terraform.d/plugins/registry.terraform.io/meshplane/meshplane/<version>/<os_arch>/
//   node scripts/install-local.mjs --plugin-dir DIR   → DIR/registry.terraform.io/…, for
//     terraform init -plugin-dir=DIR
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { binaryName, buildPackage, version } from "./build.mjs";

const ARCH = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };

export function platformDir() {
  return `${process.platform}_${ARCH[process.arch] ?? process.arch}`;
}

/** Builds, then copies the package into `pluginRoot` in the unpacked mirror layout; returns the folder. */
export async function installProvider(pluginRoot = join(homedir(), ".terraform.d", "plugins")) {
  // A private build folder: dist/package may be in use (tests copy from it).
  const buildRoot = mkdtempSync(join(tmpdir(), "meshplane-provider-build-"));
  const pkg = await buildPackage(join(buildRoot, "package"));
  const target = join(pluginRoot, "registry.terraform.io", "meshplane", "meshplane", version, platformDir());
  // A version's content must not change under a lock file: replace it whole.
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(pkg, target, { recursive: true });
  rmSync(buildRoot, { recursive: true, force: true });
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--plugin-dir");
  const root = i > 0 ? resolve(process.argv[i + 1] ?? ".") : undefined;
  const target = await installProvider(root);
  console.error(`installed ${binaryName} into ${target}`);
  if (root) console.error(`use it with: terraform init -plugin-dir=${root}`);
}
