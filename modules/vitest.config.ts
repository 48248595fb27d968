import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests run the TypeScript sources of the workspace packages, never their built dist/.
const conditions = ["meshplane-source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "modules",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // @cdktf/commons (imported by nothing here, but by tools around CDKTF) phones home without it.
    env: { CHECKPOINT_DISABLE: "1" },
    // test/e2e.test.ts runs terraform, the provider and a control plane; its tests set their own timeouts.
    hookTimeout: 180_000,
  },
});
