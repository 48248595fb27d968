import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests run the TypeScript sources of the workspace packages, never their built dist/.
const conditions = ["meshplane-source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "provider",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The terraform tests start real terraform and provider processes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    globalSetup: ["test/global-setup.ts"],
  },
});
