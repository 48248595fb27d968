import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "modules",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  },
});
