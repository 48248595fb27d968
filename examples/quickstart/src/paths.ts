/** Where things are: this repository's folders, and the quickstart's files in the data dir. */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const MESHPLANE_BIN = join(REPO_ROOT, "control-plane", "bin", "meshplane.js");
export const PROVIDER_INSTALL_SCRIPT = join(REPO_ROOT, "provider", "scripts", "install-local.mjs");

/** MESHPLANE_DATA_DIR if set (as `meshplane serve` reads it), else .meshplane at the repository root. */
export function defaultDataDir(): string {
  const configured = process.env["MESHPLANE_DATA_DIR"];
  return configured ? resolve(configured) : join(REPO_ROOT, ".meshplane");
}

/**
 * Everything the quickstart adds to the data dir lives in <data dir>/quickstart: removing
 * the data dir removes every trace (nothing in ~/.terraform.d, nothing in examples/).
 */
export function quickstartPaths(dataDir: string) {
  const root = join(dataDir, "quickstart");
  return {
    root,
    serverLog: join(root, "server.log"),
    terraformRc: join(root, "terraform.rc"),
    pluginDir: join(root, "plugins"),
    workDir: (repository: string) => join(root, repository),
  };
}
