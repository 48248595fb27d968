#!/usr/bin/env node
// `npm run quickstart` at the repository root. Runs from the TypeScript sources through
// tsx, like the control plane: no build step to forget.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
