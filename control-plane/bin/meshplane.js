#!/usr/bin/env node
// The control plane runs from its TypeScript sources through tsx: no build step to
// forget, and the same files the tests exercise.
import { register as registerHooks } from "node:module";
import { register } from "tsx/esm/api";

register();
registerHooks("./source-condition.js", import.meta.url);
await import("../src/cli.ts");
