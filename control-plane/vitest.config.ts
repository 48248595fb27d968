import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests run the TypeScript sources of the workspace packages (@meshplane/rules), never their built dist/.
const conditions = ["meshplane-source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
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
