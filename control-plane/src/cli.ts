import { mkdirSync } from "node:fs";
import { userInfo } from "node:os";
import { recoverAdmin } from "./bootstrap.ts";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { DataDirInUseError } from "./db/data-dir-lock.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./db/embedded-postgres.ts";
import { migrate } from "./db/migrate.ts";
import { createLogger, type Logger } from "./logger.ts";
import { startServer } from "./server.ts";
import { VERSION } from "./version.ts";
import { startWorker } from "./worker-process.ts";
import { WarehouseCommandError, warehouseCommand } from "./cli/warehouse-command.ts";

const USAGE = `meshplane ${VERSION} — the control plane for a data mesh

Usage:
  meshplane serve        run the API, the executor and workers (embedded PostgreSQL unless
                         MESHPLANE_DATABASE_URL is set; MESHPLANE_WORKER_CONCURRENCY=0: API only)
  meshplane worker       run workers and the executor only, no HTTP, on MESHPLANE_DATABASE_URL
                         (the database of the serve processes); SIGTERM drains them
  meshplane admin recover
                         break-glass, on the server's host: mint a new platform-admin key into
                         <data dir>/admin.key (0600), with the data dir and database the server uses;
                         stop the server first when it runs on the embedded PostgreSQL
  meshplane warehouse load <table> <file> [--format csv|ndjson|parquet] [--replace] [--url URL] [--json]
                         load a file into a local warehouse table (landing tables get _PARTITIONTIME)
  meshplane warehouse query "<sql>" [--url URL] [--json]
                         run a query on the local warehouse; through the server (MESHPLANE_API_KEY, or
                         <data dir>/admin.key) while one holds the warehouse file
  meshplane version      print the version

Environment: MESHPLANE_PORT (8080), MESHPLANE_HOST (127.0.0.1), MESHPLANE_DATA_DIR (./.meshplane),
MESHPLANE_DATABASE_URL, MESHPLANE_ADMIN_API_KEY, MESHPLANE_JWT_SECRET, MESHPLANE_WORKER_CONCURRENCY (8),
MESHPLANE_SHUTDOWN_GRACE_MS (10000), MESHPLANE_RETENTION_DAYS (30), MESHPLANE_LOG_LEVEL (info).`;

/**
 * Runs a long-lived command until SIGTERM/SIGINT, then closes it and exits 0 (1 if closing
 * failed). One pair of handlers for the whole life of the process, installed first and
 * never removed: a signal during start-up (initdb, migrations) is kept and honoured once
 * started. Swapping handlers instead leaves a moment with none, and a SIGTERM landing
 * there kills the process outright and orphans its PostgreSQL (seen in CI).
 */
async function runUntilSignalled<T extends { close(): Promise<void> }>(start: (config: Config, logger: Logger) => Promise<T>, started: (running: T) => void): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let requested: string | undefined;
  let stop: ((signal: string) => void) | undefined;
  const onSignal = (signal: string) => () => (stop ? stop(signal) : void (requested ??= signal));
  process.on("SIGTERM", onSignal("SIGTERM"));
  process.on("SIGINT", onSignal("SIGINT"));
  const running = await start(config, logger);
  let stopping = false;
  stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    running.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error({ err: error.message }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  started(running);
  if (requested) stop(requested);
}

function serve(): Promise<void> {
  return runUntilSignalled(
    startServer,
    (server) => {
      if (server.adminKeyFile) {
        // stderr, and only the path: the key itself never reaches a log.
        process.stderr.write(`meshplane: bootstrap admin API key written to ${server.adminKeyFile} (mode 0600)\n`);
      }
      process.stderr.write(`meshplane: listening on ${server.url}\n`);
    },
  );
}

/** `meshplane worker`: workers and the executor's sweep only, on MESHPLANE_DATABASE_URL (worker-process.ts). */
function worker(): Promise<void> {
  return runUntilSignalled(
    startWorker,
    (running) => process.stderr.write(`meshplane: worker ${running.workerId} running${running.metricsUrl ? `; metrics on ${running.metricsUrl}/metrics` : ""}\n`),
  );
}

/**
 * `meshplane admin recover`: the way back in when no platform admin can sign in (their
 * keys revoked or expired, the account deleted). Needs what the server needs: the data
 * dir (embedded PostgreSQL, started here, so the server must be stopped — the data-dir
 * lock says so) or MESHPLANE_DATABASE_URL.
 */
async function adminRecover(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    try {
      embedded = await startEmbeddedPostgres(config.dataDir, logger);
    } catch (error) {
      if (error instanceof DataDirInUseError) {
        throw new RecoveryRefused(
          `a control plane is running on ${config.dataDir} (${error.message.match(/pid \d+/)?.[0] ?? "see meshplane.lock"}); ` +
            `stop it first — the recovery starts the embedded PostgreSQL itself — then run meshplane admin recover again, and start the server`,
        );
      }
      throw error;
    }
  }
  try {
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    await migrate(databaseUrl, logger);
    const result = await recoverAdmin(databaseUrl, config.dataDir, operatorName());
    // The path only, never the key: it may land in a terminal log.
    process.stdout.write(`meshplane: new platform-admin key for service account ${result.serviceAccount} written to ${result.keyFile} (mode 0600); the recovery is audited (action admin.recover)\n`);
  } finally {
    await embedded?.stop();
  }
}

class RecoveryRefused extends Error {}

/** Who ran the recovery, for its audit event (a container may have no passwd entry). */
function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? "unknown"}`;
  }
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? "help";
  switch (command) {
    case "serve":
      return serve();
    case "worker":
      return worker();
    case "admin":
      if (argv[1] === "recover") return adminRecover();
      process.stderr.write(`meshplane: unknown admin command "${argv[1] ?? ""}"; the one there is: meshplane admin recover\n\n${USAGE}\n`);
      process.exit(2);
      return;
    case "warehouse":
      return warehouseCommand(argv.slice(1), process.env, (text) => void process.stdout.write(text));
    case "version":
    case "--version":
      process.stdout.write(`${VERSION}\n`);
      return;
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      process.stderr.write(`meshplane: unknown command "${command}"\n\n${USAGE}\n`);
      // Explicitly, at once: nothing else is left to run (no server was started).
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Bad configuration and a busy data dir are the user's to fix: one clear line.
  if (error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof RecoveryRefused || error instanceof WarehouseCommandError) {
    process.stderr.write(`meshplane: ${error.message}\n`);
  } else {
    process.stderr.write(`meshplane: failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});

