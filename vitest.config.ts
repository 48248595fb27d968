import { defineConfig } from "vitest/config";

// One `npm test` for every package. Each package has its own vitest.config.ts;
// the JSON report feeds .ci/run's "N passed, N failed" line.
export default defineConfig({
  test: {
    projects: ["control-plane/rules", "control-plane", "control-plane/test-kit", "provider", "modules", "examples/quickstart"],
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-report.json" },
    passWithNoTests: false,
  },
});
