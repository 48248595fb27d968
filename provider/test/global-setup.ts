// Builds the provider package once for all test files (the terraform tests install
// it into their own plugin folders).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const providerDir = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: providerDir, stdio: "inherit" });
}
