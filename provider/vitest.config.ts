import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "provider",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The terraform tests start real terraform and provider processes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    globalSetup: ["test/global-setup.ts"],
  },
});
