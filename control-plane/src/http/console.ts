import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { type Router } from "express";

/** Where `npm install` (scripts/build-console.js) puts the built web console. */
export const CONSOLE_DIR = fileURLToPath(new URL("../../console/dist", import.meta.url));

/**
 * The console's pages get a CSP of their own: scripts, styles and API calls from this origin
 * only, nothing inline, no frame. The API keeps helmet's `default-src 'none'` (app.ts).
 * React and React Flow set styles through the CSSOM (element.style), which style-src does not govern.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Serves the built console at / : its hashed assets (cached for good) and index.html for
 * every other GET outside /api, /healthz, /readyz and /metrics, so a page's URL can be
 * reloaded or shared. Without a build it answers 503 saying how to make one.
 */
export function consoleRouter(dir = CONSOLE_DIR): Router {
  const router = express.Router();
  const indexFile = `${dir}/index.html`;
  router.use((req, res, next) => {
    // The API's own answers (its 404s included) keep the API's CSP.
    if (req.path.startsWith("/api/")) return next("router");
    res.setHeader("Content-Security-Policy", CONSOLE_CSP);
    next();
  });
  router.use("/assets", express.static(`${dir}/assets`, { immutable: true, maxAge: "365d", index: false, fallthrough: false }));
  router.get(/^\/(?!api\/|healthz$|readyz$|metrics$).*/, (_req, res) => {
    if (!existsSync(indexFile)) {
      res.status(503).type("text/plain").send("The web console is not built: run `npm install` (or `npm run build:console -w control-plane`) and restart.\n");
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.type("html").send(readFileSync(indexFile, "utf8"));
  });
  return router;
}
