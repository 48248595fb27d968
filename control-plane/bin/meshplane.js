#!/usr/bin/env node
// The control plane runs from its TypeScript sources through tsx: no build step to
// forget, and the same files the tests exercise.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
