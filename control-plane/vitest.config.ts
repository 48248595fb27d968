import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "control-plane",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Real servers on real PostgreSQL: each file starts its own.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { CHECKPOINT_DISABLE: "1" },
  },
});
