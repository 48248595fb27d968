import type { NextFunction, Request, Response } from "express";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** Prometheus metrics for GET /metrics: request counts and latencies per route. */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly duration: Histogram<"method" | "route">;

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
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const start = process.hrtime.bigint();
      res.on("finish", () => {
        // The route template, never the raw path: raw paths would explode cardinality.
        // (A resource's own root is "/" inside its sub-router: /api/v1/teams, not /api/v1/teams/.)
        const path = req.route?.path as string | undefined;
        const route = path ? (path === "/" ? req.baseUrl || "/" : `${req.baseUrl}${path}`) : "unmatched";
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
        this.duration.observe({ method: req.method, route }, seconds);
      });
      next();
    };
  }
}
