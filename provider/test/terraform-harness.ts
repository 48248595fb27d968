// The provider's side of @meshplane/test-kit's Terraform driver: workspaces holding the
// package that test/global-setup.ts builds (dist/package), with the test-only echo
// resources on and their store in the workspace's folder.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TerraformWorkspace } from "@meshplane/test-kit";

export { h1Hash, type RunResult } from "@meshplane/test-kit";

export const providerDir = fileURLToPath(new URL("..", import.meta.url));
export const packageDir = join(providerDir, "dist", "package");
export const version = (JSON.parse(readFileSync(join(providerDir, "package.json"), "utf8")) as { version: string }).version;
export const binaryName = `terraform-provider-meshplane_v${version}`;

export class ProviderWorkspace extends TerraformWorkspace {
  /** Where the echo resources (MESHPLANE_PROVIDER_TEST_RESOURCES=1) keep their objects. */
  readonly store = join(this.root, "echo-store.json");

  /** `pkg`: the provider package to install (the bench also installs its reference provider). */
  constructor(extraEnv: NodeJS.ProcessEnv = {}, pkg = packageDir) {
    super({ provider: pkg, env: { MESHPLANE_PROVIDER_TEST_RESOURCES: "1", ...extraEnv } });
    this.env["MESHPLANE_TEST_ECHO_STORE"] = extraEnv["MESHPLANE_TEST_ECHO_STORE"] ?? this.store;
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
}
