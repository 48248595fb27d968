#!/usr/bin/env node
// Runs a TypeScript file of this package (benchmarks, scripts): node bin/run-ts.js FILE [args]
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { register as registerHooks } from "node:module";
import { register } from "tsx/esm/api";

register();
registerHooks("./source-condition.js", import.meta.url);
const [file] = process.argv.splice(2, 1);
if (!file) {
  console.error("usage: run-ts.js FILE [args…]");
  process.exit(2);
}
await import(pathToFileURL(resolve(file)).href);
