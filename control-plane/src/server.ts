import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtSecretFor } from "./bootstrap.ts";
import { ConfigError, type Config } from "./config.ts";
import { pendingMigrations } from "./db/migrate.ts";
import { openDatabase, type Database } from "./db/prisma.ts";
import { createApp } from "./http/app.ts";
import { startScheduler } from "./orchestrator/scheduler.ts";
import { FlowRepository } from "./repositories/flow-repository.ts";
import { resyncOutdatedDerived } from "./services/flow-derived-resync.ts";
import type { Logger } from "./logger.ts";
import { setExecutionSnapshot } from "./orchestrator/metrics.ts";
import { WarehouseComponent, WarehouseHolder } from "./warehouse/component.ts";
import { orchestratorComponents, type OrchestratorPool, type Workers } from "./orchestrator/orchestrator.ts";
import { RetentionPurge } from "./orchestrator/retention.ts";
import { component, startComponents, type Component } from "./process/component.ts";
import { DatabaseComponent } from "./process/database.ts";
import { ExecutionRepository } from "./repositories/execution-repository.ts";
import { createServices, type Services } from "./services/index.ts";
import { VERSION } from "./version.ts";

export interface RunningServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly adminKeyFile: string | undefined;
  close(): Promise<void>;
}

/**
 * `meshplane serve`, as components started in this order and stopped in the reverse
 * (process/component.ts): database (embedded PostgreSQL, migrations, bootstrap) → the
 * API's pools and services → the warehouse (its file, the contract sync) → [orchestrator pool → executor → workers → retention purge,
 * unless MESHPLANE_WORKER_CONCURRENCY=0] → HTTP → scheduler. On close, the scheduler
 * stops first, HTTP stops taking requests, the workers drain (MESHPLANE_SHUTDOWN_GRACE_MS) while the pools
 * are still open, and the database stops last.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const database = new DatabaseComponent(config, logger, { bootstrap: true });
  const warehouse = new WarehouseHolder();
  const api = new ApiPools(config, logger, () => database.url, warehouse);
  // The one warehouse of the process: the workers' and the API's (previews, console, contract sync).
  // An API-only replica does not open a DuckDB file: the process running workers must own it.
  const withWorkers = config.workerConcurrency > 0;
  const warehouseComponent = new WarehouseComponent(config, logger, { holder: warehouse, pool: () => api.db.flowPool, databaseUrl: () => database.url }, withWorkers || config.warehouse !== "duckdb");
  const components: Component[] = [database, api, warehouseComponent];
  // An API-only replica leaves its executions to the processes that run workers on the same database.
  const execution = withWorkers ? executionComponents(config, logger, () => database.url, warehouseComponent) : undefined;
  if (execution) components.push(...execution.components);
  else components.push(component("API only", async () => logger.info("API only (MESHPLANE_WORKER_CONCURRENCY=0): executions run on other processes of this database")));
  const http = new HttpComponent(config, logger, api);
  components.push(http, new ScheduleComponent(config, logger, api, execution?.pool));
  const running = await startComponents(components, logger);
  logger.info({ url: http.url, database: config.databaseUrl ? "external" : "embedded" }, "meshplane control plane listening");
  return {
    url: http.url,
    databaseUrl: database.url,
    adminKeyFile: database.adminKeyFile,
    close: () => running.stop(config.shutdownGraceMs),
  };
}

/** What runs executions in a process (serve with workers, `meshplane worker`): pool → executor → workers → retention purge. */
export function executionComponents(
  config: Config,
  logger: Logger,
  databaseUrl: () => string,
  /** `serve` passes its own (already among its components): one warehouse per process. */
  given?: WarehouseComponent,
): { pool: OrchestratorPool; workers: Workers; components: Component[] } {
  // `meshplane worker` never opens a DuckDB file: the warehouse is serve's (its contract sync,
  // previews and loads); a worker elsewhere, or with another data dir, would make a second file.
  const warehouse = given ?? new WarehouseComponent(config, logger, undefined, config.warehouse !== "duckdb");
  const { pool, workers, components } = orchestratorComponents(databaseUrl, logger, {
    worker: { concurrency: config.workerConcurrency, leaseMs: config.workerLeaseMs, heartbeatMs: config.workerHeartbeatMs },
    warehouse: () => warehouse.current,
  });
  // Opened before the workers start claiming, closed after they drained.
  if (!given) components.unshift(warehouse);
  components.push(new RetentionPurge(pool, logger, { retentionDays: config.retentionDays, intervalMs: config.retentionIntervalMs }));
  return { pool, workers, components };
}

/** The API's two pools (Prisma's and the hot statements'), and the services on them. */
class ApiPools implements Component {
  readonly name = "API pools";
  private database: Database | undefined;
  private built: Services | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly databaseUrl: () => string,
    private readonly warehouse: WarehouseHolder,
  ) {}

  get db(): Database {
    if (!this.database) throw new Error("the API pools are not started");
    return this.database;
  }

  get services(): Services {
    if (!this.built) throw new Error("the API pools are not started");
    return this.built;
  }

  async start(): Promise<void> {
    const { config, logger } = this;
    const database = openDatabase(this.databaseUrl(), {
      statementTimeoutMs: config.statementTimeoutMs,
      onIdleError: (error) => logger.warn({ err: error.message }, "an idle database connection failed; it will be replaced"),
    });
    this.database = database;
    this.built = createServices(database, logger, jwtSecretFor(config.dataDir, config.jwtSecret), config.jwtTtlSeconds, {
      follow: { maxStreams: config.followMaxStreams, heartbeatMs: config.followHeartbeatMs },
      oidc: { issuers: config.oidcIssuers, jwksCooldownSeconds: config.oidcJwksCooldownSeconds },
      warehouse: this.warehouse,
    });
    // GET /metrics counts executions and queued task runs through the API's pool (with its statement timeout).
    const executions = new ExecutionRepository(database.flowPool);
    setExecutionSnapshot(() => executions.metricsSnapshot(), logger);
  }

  async stop(): Promise<void> {
    setExecutionSnapshot(undefined);
    await this.database?.close();
  }
}

/** The HTTP server: last started (requests arrive only once everything is up), first stopped. */
class HttpComponent implements Component {
  readonly name = "http";
  private server: Server | undefined;
  private address: string | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly api: ApiPools,
  ) {}

  get url(): string {
    if (!this.address) throw new Error("the HTTP server is not started");
    return this.address;
  }

  async start(): Promise<void> {
    const { config, api } = this;
    const app = createApp({
      services: api.services,
      logger: this.logger,
      bodyLimitBytes: config.bodyLimitBytes,
      checkResponses: config.checkResponses,
      rateLimitPerMinute: config.rateLimitPerMinute,
      version: VERSION,
      readiness: async () => {
        const pending = await pendingMigrations((sql) => api.db.prisma.$queryRawUnsafe(sql));
        return pending.length === 0 ? { ready: true, detail: "database reachable, migrations applied" } : { ready: false, detail: `pending migrations: ${pending.join(", ")}` };
      },
    });
    const server: Server = await new Promise((resolve, reject) => {
      // Express 5 calls this back with the error when listening fails.
      const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(listenError(config, error as NodeJS.ErrnoException)) : resolve(s)));
    });
    server.keepAliveTimeout = 65_000;
    this.server = server;
    const address = server.address() as AddressInfo;
    this.address = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
  }

  /** Stops accepting, lets requests in flight answer, and cuts connections still open after 5 s. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Follow streams end only with their execution: end them first, or close would wait.
    this.api.services.follow.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 5_000).unref();
    });
  }
}

/** Cannot bind: a port in use or an address not on this machine is a configuration problem. */
function listenError(config: Config, error: NodeJS.ErrnoException): Error {
  if (error.code === "EADDRINUSE") return new ConfigError("MESHPLANE_PORT", `${config.host}:${config.port} is already in use; choose another port`);
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND" || error.code === "EAI_AGAIN") {
    return new ConfigError("MESHPLANE_HOST", `cannot listen on ${config.host} (${error.code}): not an address of this machine`);
  }
  if (error.code === "EACCES") return new ConfigError("MESHPLANE_PORT", `not allowed to listen on port ${config.port} (EACCES)`);
  return error;
}

/**
 * After HTTP is listening (a failed start touches no pool): flows derived by older code
 * are derived again, then the scheduler starts wherever the orchestrator runs (replicas
 * agree through a unique key per slot; MESHPLANE_SCHEDULER=off leaves it to others).
 * Stopped first, so no slot is started while the rest shuts down.
 */
class ScheduleComponent implements Component {
  readonly name = "scheduler";
  private scheduler: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly api: ApiPools,
    private readonly orchestrator: OrchestratorPool | undefined,
  ) {}

  async start(): Promise<void> {
    const { db } = this.api;
    await resyncOutdatedDerived(new FlowRepository(db.prisma, db.flowPool), this.logger);
    if (this.orchestrator && this.config.scheduler) this.scheduler = startScheduler(db.flowPool, this.orchestrator.executor, this.logger);
    else this.logger.info(this.orchestrator ? "scheduler off (MESHPLANE_SCHEDULER=off)" : "scheduler off: it runs where the orchestrator runs");
  }

  async stop(): Promise<void> {
    await this.scheduler?.stop();
  }
}
