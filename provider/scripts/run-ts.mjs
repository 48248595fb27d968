// Runs a TypeScript entry point of this package with Node 20 (which cannot strip
// types itself): esbuild bundles our sources into a temporary ESM file; packages
// from node_modules stay external and load as usual.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const providerDir = fileURLToPath(new URL("..", import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <entry.ts> [args…]");
  process.exit(2);
}
const out = join(providerDir, "dist", `run-${process.pid}.mjs`);
await build({ absWorkingDir: providerDir, entryPoints: [resolve(entry)], outfile: out, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
process.argv = [process.argv[0], resolve(entry), ...args];
try {
  await import(pathToFileURL(out).href);
} finally {
  rmSync(out, { force: true });
}
