// Runs a TypeScript entry point of this package with Node 20, which cannot strip
// types itself: ts-hooks.mjs transpiles each .ts file as it is imported.
//   node scripts/run-ts.mjs <entry.ts> [args…]
import { register } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

register("./ts-hooks.mjs", import.meta.url);
const [entry] = process.argv.splice(2, 1);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <entry.ts> [args…]");
  process.exit(2);
}
await import(pathToFileURL(resolve(entry)).href);
