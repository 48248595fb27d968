import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "examples",
    include: ["test/**/*.test.ts"],
    env: { CHECKPOINT_DISABLE: "1" },
    // The end-to-end test runs the quickstart twice: a control plane, terraform, the provider.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
