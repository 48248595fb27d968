// Runs `prisma generate` offline. Prisma's CLI insists that its native schema engine
// exists, but generation never uses it, and the engine cannot be downloaded here:
// point the check at a file that is sure to exist (see shared notes on Prisma).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
let prismaCli;
try {
  prismaCli = join(dirname(require.resolve("prisma/package.json")), "build", "index.js");
} catch {
  console.error("prisma-generate: the `prisma` package is not installed (it is a devDependency); skipping.");
  process.exit(0);
}
const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  cwd: join(here, ".."),
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
