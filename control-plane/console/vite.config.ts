import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The console is built into console/dist and served by the control plane at / (src/http/console.ts).
// No inline script or style is emitted (the CSP there says script-src 'self', style-src 'self').
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  // The map's layout worker (mesh/layout.worker.ts) is a module, like the page.
  worker: { format: "es" },
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
});
