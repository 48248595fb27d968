import { ConfigError, type Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import { setExecutionSnapshot } from "./orchestrator/metrics.ts";
import { component, startComponents } from "./process/component.ts";
import { MetricsHttp } from "./process/metrics-http.ts";
import { DatabaseComponent } from "./process/database.ts";
import { executionComponents } from "./server.ts";

export interface RunningWorker {
  /** `host:pid`, as task runs record it in worker_id. */
  readonly workerId: string;
  /** Where GET /metrics answers (MESHPLANE_METRICS_PORT), if it does. */
  readonly metricsUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * `meshplane worker`: workers and the executor's sweep only (no HTTP, no scheduler, no
 * bootstrap), on the PostgreSQL the `serve` processes use: database (migrations only) →
 * orchestrator pool → executor → workers → retention purge [→ metrics HTTP, with
 * MESHPLANE_METRICS_PORT], stopped in reverse. Any
 * number of them may run, on any machine that reaches the database.
 */
export async function startWorker(config: Config, logger: Logger): Promise<RunningWorker> {
  if (!config.databaseUrl) {
    // The embedded PostgreSQL belongs to one `serve` process (it listens on loopback, on a
    // port chosen at each start): workers of their own need a PostgreSQL every process reaches.
    throw new ConfigError(
      "MESHPLANE_DATABASE_URL",
      "meshplane worker needs the postgres:// URL of the database the serve processes use; " +
        "the embedded PostgreSQL of `meshplane serve` is private to that process (it runs its own workers: raise MESHPLANE_WORKER_CONCURRENCY there), " +
        "so run PostgreSQL yourself and give every serve and worker process its URL",
    );
  }
  if (config.workerConcurrency === 0) {
    throw new ConfigError("MESHPLANE_WORKER_CONCURRENCY", "is 0, and a worker without slots would run nothing: set 1 or more (0 is for API-only serve replicas)");
  }
  const database = new DatabaseComponent(config, logger, { bootstrap: false });
  const { pool, workers, components } = executionComponents(config, logger, () => database.url);
  // The database-wide gauges of /metrics (executions by state, queue depth) through the orchestrator's pool.
  const snapshot = component(
    "metrics snapshot",
    async () => setExecutionSnapshot(() => pool.executions.metricsSnapshot(), logger),
    async () => setExecutionSnapshot(undefined),
  );
  const metrics = config.metricsPort === undefined ? undefined : new MetricsHttp(config.host, config.metricsPort, logger);
  const running = await startComponents([database, ...components, snapshot, ...(metrics ? [metrics] : [])], logger);
  return { workerId: workers.options.id, metricsUrl: metrics?.url, close: () => running.stop(config.shutdownGraceMs) };
}
