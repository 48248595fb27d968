import { defineConfig } from "prisma/config";

// Only `prisma generate` runs here (see scripts/prisma-generate.js); the URL is read at
// run time by src/db/client.ts, never from this file.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
