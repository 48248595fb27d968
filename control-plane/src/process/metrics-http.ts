import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Registry } from "prom-client";
import { ConfigError } from "../config.ts";
import type { Logger } from "../logger.ts";
import { orchestratorRegistry } from "../orchestrator/metrics.ts";
import type { Component } from "./component.ts";

/**
 * `meshplane worker`'s only HTTP, when MESHPLANE_METRICS_PORT is set: GET /metrics (the
 * orchestrator's metrics of this process and its runtime's) and GET /healthz, for
 * Prometheus to scrape the workers' utilisation and task-run durations, which only the
 * process running them knows. Nothing else is served (404).
 */
export class MetricsHttp implements Component {
  readonly name = "metrics http";
  private server: Server | undefined;
  private address: string | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly logger: Logger,
  ) {}

  get url(): string | undefined {
    return this.address;
  }

  async start(): Promise<void> {
    const runtime = new Registry();
    collectDefaultMetrics({ register: runtime, prefix: "meshplane_" });
    const registry = Registry.merge([runtime, orchestratorRegistry]);
    const server = createServer((req, res) => {
      if (req.method === "GET" && req.url === "/metrics") {
        registry.metrics().then(
          (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
          (error: Error) => res.writeHead(500).end(error.message),
        );
      } else if (req.method === "GET" && req.url === "/healthz") res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      else res.writeHead(404, { "content-type": "text/plain" }).end("a meshplane worker serves GET /metrics and GET /healthz only\n");
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "EADDRINUSE" ? new ConfigError("MESHPLANE_METRICS_PORT", `${this.host}:${this.port} is already in use; choose another port`) : error),
      );
      server.listen(this.port, this.host, () => resolve());
    });
    this.server = server;
    this.address = `http://${this.host.includes(":") ? `[${this.host}]` : this.host}:${(server.address() as AddressInfo).port}`;
    this.logger.info({ url: this.address }, "worker metrics listening");
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
