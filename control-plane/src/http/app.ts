import { WAREHOUSE_LOAD_LIMIT_BYTES } from "./routes/warehouse-routes.ts";
import express, { type Express } from "express";
import helmet from "helmet";
import { NotFoundError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Services } from "../services/index.ts";
import { Registry } from "prom-client";
import { orchestratorRegistry } from "../orchestrator/metrics.ts";
import { HttpMetrics } from "./metrics.ts";
import { buildOpenApi } from "./openapi.ts";
import { consoleRouter } from "./console.ts";
import { errorHandler } from "./problem.ts";
import { failedAuthenticationLimit, perKeyLimit } from "./rate-limits.ts";
import { identify, mountRoutes, tagRequest } from "./router.ts";
import { allRoutes } from "./routes/index.ts";
import { flowJsonSchema } from "../flows/flow-json-schema.ts";
import { refuseInvalidUtf8 } from "../input-text.ts";

export interface AppOptions {
  readonly services: Services;
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  readonly version: string;
  /** Check every reply against its declared response schema (router.ts). */
  readonly checkResponses?: boolean;
  /** For /readyz: the database answers and every migration is applied. */
  readonly readiness: () => Promise<{ ready: boolean; detail: string }>;
}

export function createApp(options: AppOptions): Express {
  const { services, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("trust proxy", false);
  const metrics = new HttpMetrics();
  const routes = allRoutes(services);
  const openApi = buildOpenApi(routes, options.version);

  app.use(metrics.middleware());
  // The headers that matter for a JSON API (OWASP REST Security): no framing, no MIME
  // sniffing, no referrer, HSTS, a CSP that allows nothing. Helmet's browser-page extras
  // (DNS prefetch, IE download options, Flash cross-domain policies, origin-agent
  // clustering, the retired XSS auditor) say nothing to an API client and were 5 of the
  // ~20 headers written on every answer.
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      dnsPrefetchControl: false,
      ieNoOpen: false,
      permittedCrossDomainPolicies: false,
      originAgentCluster: false,
      xXssProtection: false,
      xFrameOptions: { action: "deny" },
    }),
  );

  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.get("/readyz", async (_req, res) => {
    const r = await options.readiness().catch((e: Error) => ({ ready: false, detail: e.message }));
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : "not ready", detail: r.detail });
  });
  // The HTTP metrics of this app and the orchestrator's of the process (orchestrator/metrics.ts).
  const registry = Registry.merge([metrics.registry, orchestratorRegistry]);
  app.get("/metrics", async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  const api = express.Router();
  api.use(tagRequest);
  // Answers carry secrets (a new API key, an access token) and per-caller views: no cache may keep them.
  api.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  api.get("/openapi.json", (_req, res) => void res.json(openApi));
  api.get("/schemas/flow.json", (_req, res) => void res.type("application/schema+json").json(flowJsonSchema()));
  api.use(failedAuthenticationLimit(options.rateLimitPerMinute));
  api.use(identify(services.deps.authenticator));
  api.use(perKeyLimit(options.rateLimitPerMinute));
  const limit = options.bodyLimitBytes;
  // verify sees the raw bytes: a body that is not UTF-8 is refused, not decoded with U+FFFD in its place.
  const json = express.json({ limit, type: ["application/json", "application/*+json"], verify: refuseInvalidUtf8 });
  const text = express.text({ limit, type: ["application/x-yaml", "application/yaml", "text/yaml", "text/x-yaml", "text/plain"], verify: refuseInvalidUtf8 });
  // A request without a body (every GET) skips both parsers: each would first ask
  // on-finished and type-is, ~3 % of a flow GET's CPU in a profile. A body is announced
  // by Content-Length or Transfer-Encoding, as body-parser itself decides (RFC 9112 §6.3).
  // A file loaded into the warehouse (warehouse-routes.ts): bytes up to their own limit, handed on as base64.
  const file = express.raw({ limit: WAREHOUSE_LOAD_LIMIT_BYTES, type: "application/octet-stream" });
  api.use("/warehouse/tables", (req, res, next) =>
    file(req, res, (error) => {
      if (!error && Buffer.isBuffer(req.body)) req.body = (req.body as Buffer).toString("base64");
      next(error);
    }),
  );
  // OAuth clients send token requests form-encoded (RFC 6749 §4.1.3, RFC 8693 §2.1): /auth/token takes that too.
  // Not extended: no nested objects, and a repeated field becomes an array the route's schema refuses.
  const form = express.urlencoded({ limit, extended: false, type: "application/x-www-form-urlencoded", verify: refuseInvalidUtf8 });
  api.use("/auth/token", (req, res, next) => {
    if (!req.is("application/x-www-form-urlencoded")) return next();
    form(req, res, (error) => {
      // querystring's result has a null prototype; the router's checks expect a plain object.
      if (!error && req.body && typeof req.body === "object") req.body = { ...(req.body as object) };
      next(error);
    });
  });
  api.use((req, res, next) => {
    if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) return next();
    json(req, res, (error) => (error ? next(error) : text(req, res, next)));
  });
  api.use(mountRoutes(routes, services.deps.authorizer, { checkResponses: options.checkResponses ?? false, logger }));
  app.use("/api/v1", api);
  // The web console (console.ts): its own CSP, the API's stays default-src 'none'.
  app.use(consoleRouter());

  app.use((req, _res, next) => next(new NotFoundError(`no route ${req.method} ${req.path}; see GET /api/v1/openapi.json for the API`)));
  app.use(errorHandler(logger, metrics));
  return app;
}
