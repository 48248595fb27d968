import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { ConfigError } from "../config.ts";
import type { Logger } from "../logger.ts";
import { clusterOf, recordedCluster, sweepOrphanClusters } from "./cluster-home.ts";
import { acquireDataDirLock, isAlive, type DataDirLock } from "./data-dir-lock.ts";
import { binariesRunnableBy, canEnter, firstClosedFolder, postgresOsUser } from "./postgres-as-root.ts";
import { createDatabase, initCluster, packagedBinaries, startPostmaster, stopPostmaster, type OsUser, type PostgresBinaries } from "./postgres-process.ts";

/** A real PostgreSQL 17 run from node_modules inside the data dir (SPEC §5). */
export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = "meshplane";
const DATABASE = "meshplane";

export async function startEmbeddedPostgres(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock: DataDirLock = acquireDataDirLock(dataDir);
  try {
    const { binaries, databaseDir, runAs } = placeCluster(dataDir, logger);
    const password = readOrCreatePassword(dataDir);
    await stopLeftoverPostmaster(databaseDir, logger);
    const port = await freePort();
    const fresh = !existsSync(join(databaseDir, "PG_VERSION"));
    if (fresh) {
      logger.info({ databaseDir }, "initialising the embedded PostgreSQL");
      // What an initdb interrupted half-way left (initdb wants an empty folder); no cluster without PG_VERSION.
      rmSync(databaseDir, { recursive: true, force: true });
      await initCluster(binaries, databaseDir, USER, password, runAs);
    }
    // Listen on loopback only; the control plane is the only client. Autovacuum looks
    // every 10 s (default 60 s): a freshly loaded table gets the statistics its query
    // plans depend on within seconds (see the flows_analyze_sooner migration).
    // Bounds beside the sessions' statement_timeout (db/prisma.ts): no session writes
    // more than 2 GB of temporary files (a request needs next to none), and a backend
    // whose client has gone (the API killed) stops within 5 s instead of finishing.
    const flags = [
      "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100", "-c", "autovacuum_naptime=10s",
      "-c", "temp_file_limit=2GB", "-c", "client_connection_check_interval=5s",
    ];
    const postmaster = await startPostmaster(binaries, databaseDir, port, flags, runAs, (m) => logger.debug({ postgres: m.trim() }, "postgres"));
    // If this process dies without a clean stop, ask PostgreSQL to shut down too
    // (a synchronous signal is all an exit handler can do).
    const onExit = () => {
      if (postmaster.exitCode === null) postmaster.kill("SIGINT");
    };
    process.on("exit", onExit);
    const url = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      try {
        // Ctrl-C in a terminal also signals PostgreSQL (same process group); stopPostmaster
        // copes with one that has already exited.
        await stopPostmaster(postmaster);
      } finally {
        process.off("exit", onExit);
        lock.release();
      }
    };
    try {
      if (fresh) await createDatabase(`postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, DATABASE);
    } catch (error) {
      await stop();
      throw error;
    }
    return { url, stop };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Where the cluster lives and who runs it. Not root: in `<data dir>/postgres`, as us.
 * As root PostgreSQL runs as the OS user postgres (it refuses root), which must reach
 * the binaries and the cluster: when a 0700 folder above keeps it out (a checkout in
 * /root), the binaries run from a copy and the cluster lives in the cluster home
 * (postgres-as-root.ts, cluster-home.ts), recorded in the data dir.
 */
function placeCluster(dataDir: string, logger: Logger): { binaries: PostgresBinaries; databaseDir: string; runAs: OsUser | undefined } {
  const packaged = packagedBinaries();
  const recorded = recordedCluster(dataDir);
  if (process.getuid?.() !== 0) {
    if (recorded) {
      throw new ConfigError("MESHPLANE_DATA_DIR", `${dataDir} was set up by root: its PostgreSQL cluster (${join(dataDir, "postgres-cluster")}) belongs to the OS user postgres; run as root, or choose another data dir`);
    }
    return { binaries: packaged, databaseDir: join(dataDir, "postgres"), runAs: undefined };
  }
  const runAs = postgresOsUser();
  const binaries = binariesRunnableBy(runAs, packaged);
  sweepOrphanClusters(logger);
  const inDataDir = join(dataDir, "postgres");
  if (!recorded && canEnter(runAs, dirname(dataDir))) {
    // It only passes through the data dir to its own folder; the files beside it (keys, secrets) stay 0600.
    chmodSync(dataDir, 0o711);
    return { binaries, databaseDir: inDataDir, runAs };
  }
  if (!recorded && existsSync(join(inDataDir, "PG_VERSION"))) {
    // Set up while the folders above were open; moving a live cluster is not ours to do.
    const closed = firstClosedFolder(runAs, dirname(dataDir));
    throw new ConfigError(
      "MESHPLANE_DATA_DIR",
      `${inDataDir} holds the embedded PostgreSQL's cluster, but ${closed ? `${closed.dir} (mode ${closed.mode})` : "a folder above it"} keeps out the OS user postgres it runs as under root: allow it through (chmod o+x ${closed?.dir ?? dirname(dataDir)}), or delete ${dataDir} to start afresh`,
    );
  }
  const databaseDir = clusterOf(dataDir, recorded);
  if (!recorded) logger.info({ dataDir, databaseDir }, "the OS user postgres cannot enter the data dir: its PostgreSQL cluster is kept in the cluster home");
  return { binaries, databaseDir, runAs };
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
