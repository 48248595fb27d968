import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { bootstrapAdmin, jwtSecretFor } from "./bootstrap.ts";
import { ConfigError, type Config } from "./config.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./db/embedded-postgres.ts";
import { migrate, pendingMigrations } from "./db/migrate.ts";
import { openDatabase } from "./db/prisma.ts";
import { createApp } from "./http/app.ts";
import { startOrchestrator, type RunningOrchestrator } from "./orchestrator/orchestrator.ts";
import { startScheduler } from "./orchestrator/scheduler.ts";
import { FlowRepository } from "./repositories/flow-repository.ts";
import { resyncOutdatedDerived } from "./services/flow-derived-resync.ts";
import type { Logger } from "./logger.ts";
import { createServices } from "./services/index.ts";
import { VERSION } from "./version.ts";

export interface RunningServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly adminKeyFile: string | undefined;
  close(): Promise<void>;
}

/** Running task runs get this long to finish on SIGTERM; the rest are resubmitted after their lease. */
export const WORKER_GRACE_MS = 10_000;

/** Database up → migrations → bootstrap → executor and workers → HTTP. `close` undoes it all, in reverse. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  try {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError("MESHPLANE_DATA_DIR", `cannot create ${config.dataDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let embedded: EmbeddedDatabase | undefined;
  let orchestrator: RunningOrchestrator | undefined;
  let scheduler: { stop(): Promise<void> } | undefined;
  if (!config.databaseUrl) embedded = await startEmbeddedPostgres(config.dataDir, logger);
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  try {
    await migrate(databaseUrl, logger).catch((error: unknown) => {
      throw config.databaseUrl ? unreachableDatabase(config.databaseUrl, error) ?? error : error;
    });
    const boot = await bootstrapAdmin(databaseUrl, config.dataDir, config.adminApiKey, logger);
    const database = openDatabase(databaseUrl, { statementTimeoutMs: config.statementTimeoutMs, onIdleError: (error) => logger.warn({ err: error.message }, "an idle database connection failed; it will be replaced") });
    const services = createServices(database, logger, jwtSecretFor(config.dataDir, config.jwtSecret), config.jwtTtlSeconds);
    // An API-only replica leaves its executions to the processes that run workers on the same database.
    if (config.workerConcurrency > 0) orchestrator = await startOrchestrator(databaseUrl, logger, { worker: { concurrency: config.workerConcurrency } });
    else logger.info("API only (MESHPLANE_WORKER_CONCURRENCY=0): executions run on other processes of this database");
    const app = createApp({
      services,
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      rateLimitPerMinute: config.rateLimitPerMinute,
      version: VERSION,
      readiness: async () => {
        const pending = await pendingMigrations((sql) => database.prisma.$queryRawUnsafe(sql));
        return pending.length === 0 ? { ready: true, detail: "database reachable, migrations applied" } : { ready: false, detail: `pending migrations: ${pending.join(", ")}` };
      },
    });
    const server: Server = await new Promise((resolve, reject) => {
      // Express 5 calls this back with the error when listening fails.
      const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(listenError(config, error as NodeJS.ErrnoException)) : resolve(s)));
    });
    server.keepAliveTimeout = 65_000;
    // Once listening (a failed start touches no pool): flows derived by older code first,
    // then the scheduler, wherever the orchestrator runs (replicas agree through a unique key per slot).
    await resyncOutdatedDerived(new FlowRepository(database.prisma, database.flowPool), logger);
    if (orchestrator && config.scheduler) scheduler = startScheduler(database.flowPool, orchestrator.executor, logger);
    const address = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
    logger.info({ url, database: embedded ? "embedded" : "external" }, "meshplane control plane listening");
    let closing: Promise<void> | undefined;
    return {
      url,
      databaseUrl,
      adminKeyFile: boot.keyFile,
      close: () =>
        (closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), 5_000).unref();
          });
          await scheduler?.stop();
          await orchestrator?.stop(WORKER_GRACE_MS);
          await database.close();
          await embedded?.stop();
        })()),
    };
  } catch (error) {
    await scheduler?.stop().catch(() => undefined);
    await orchestrator?.stop(0).catch(() => undefined);
    await embedded?.stop();
    throw error;
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
 * An external PostgreSQL that cannot be reached, refuses our credentials or lacks the
 * database: one line naming MESHPLANE_DATABASE_URL, with the URL's password left out.
 */
function unreachableDatabase(url: string, error: unknown): ConfigError | undefined {
  const e = error as { code?: string; message?: string };
  const codes: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "unknown host",
    EAI_AGAIN: "host name lookup failed",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    "28P01": "password authentication failed",
    "28000": "authentication refused",
    "3D000": "the database does not exist",
  };
  const reason = e?.code ? codes[e.code] : undefined;
  if (!reason) return undefined;
  let where = "the server";
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    /* keep the generic wording */
  }
  return new ConfigError("MESHPLANE_DATABASE_URL", `cannot use the PostgreSQL at ${where}: ${reason}`);
}
