import type { NextFunction, Request, Response } from "express";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/**
 * The route template of a matched request (`/api/v1/teams/:name`), never the raw path:
 * raw paths would explode cardinality. A resource's own root is "/" inside its
 * sub-router: /api/v1/teams, not /api/v1/teams/. Undefined when no route matched.
 */
export function routeTemplate(req: Pick<Request, "baseUrl" | "route">): string | undefined {
  const path = req.route?.path as string | undefined;
  if (path === undefined) return undefined;
  return path === "/" ? req.baseUrl || "/" : `${req.baseUrl}${path}`;
}

/**
 * Where the router keeps the template once a route matched: by the time an error reaches
 * the app's error handler and the answer finishes, express has left the sub-router and
 * reset `req.baseUrl`, so a failed /api/v1/teams/:name read back as "/".
 */
export const ROUTE_LOCAL = "routeTemplate";

/** The route label of a request: the template recorded at match, else what express still knows. */
export function routeLabel(req: Pick<Request, "baseUrl" | "route">, res: Pick<Response, "locals">): string {
  return (res.locals[ROUTE_LOCAL] as string | undefined) ?? routeTemplate(req) ?? "unmatched";
}

/** Prometheus metrics for GET /metrics: request counts and latencies per route, refused credentials. */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly duration: Histogram<"method" | "route">;
  private readonly refusals: Counter<"status" | "reason">;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "meshplane_" });
    this.requests = new Counter({
      name: "meshplane_http_requests_total",
      help: "HTTP requests by method, route template and status",
      labelNames: ["method", "route", "status"],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: "meshplane_http_request_duration_seconds",
      help: "HTTP request latency by method and route template",
      labelNames: ["method", "route"],
      // Fine below 50 ms, where the latency targets are: the benchmark reads server-side
      // percentiles from these buckets.
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.refusals = new Counter({
      name: "meshplane_auth_refusals_total",
      help: "Requests refused 401 (reason: why the credential failed) or 403 (reason: the permission lacked, or policy)",
      labelNames: ["status", "reason"],
      registers: [this.registry],
    });
  }

  /** Reasons are fixed words (AuthFailureReason, a permission name): bounded cardinality. */
  countRefusal(status: 401 | 403, reason: string): void {
    this.refusals.inc({ status: String(status), reason });
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const start = process.hrtime.bigint();
      res.on("finish", () => {
        const route = routeLabel(req, res);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
        this.duration.observe({ method: req.method, route }, seconds);
      });
      next();
    };
  }
}
