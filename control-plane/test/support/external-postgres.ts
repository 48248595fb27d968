import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * A real PostgreSQL server (by default the distribution's 15, the version production
 * users often run) started from its own binaries in a temp dir on a free loopback
 * port, for tests of MESHPLANE_DATABASE_URL. Nothing is skipped: without the binaries
 * `startExternalPostgres` throws and says what to install.
 *
 * PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` OS user
 * (created if missing) in a folder that user owns.
 */
export const PG_BIN_DIR = process.env["MESHPLANE_TEST_PG_BIN"] ?? "/usr/lib/postgresql/15/bin";

export interface ExternalPostgres {
  readonly port: number;
  readonly dir: string;
  /** A superuser URL to the `postgres` database. */
  readonly adminUrl: string;
  /** Creates a fresh database and answers its URL (user = the superuser). */
  createDatabase(name: string): Promise<string>;
  /** One query on `url` (default adminUrl), then disconnects. */
  query<R extends pg.QueryResultRow = any>(sql: string, params?: unknown[], url?: string): Promise<R[]>;
  /** The server's log so far (for failure messages). */
  log(): string;
  /** Stops the server (fast shutdown: open connections are dropped) and keeps its data. */
  pause(): void;
  /** Starts it again on the same port. */
  resume(): void;
  stop(): Promise<void>;
}

const SUPERUSER = "meshplane_test";

export async function startExternalPostgres(): Promise<ExternalPostgres> {
  for (const bin of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(PG_BIN_DIR, bin))) {
      throw new Error(
        `PostgreSQL server binaries not found: ${join(PG_BIN_DIR, bin)} is missing. ` +
          `Install them with \`apt-get install postgresql-15\` (or point MESHPLANE_TEST_PG_BIN at another PostgreSQL bin directory).`,
      );
    }
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "meshplane-extpg-"));
  const dataDir = join(dir, "data");
  const password = randomBytes(18).toString("base64url");
  const pwFile = join(dir, "pwfile");
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  let uid: number | undefined;
  if (asRoot) {
    uid = ensurePostgresUser();
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
    chownSync(pwFile, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (bin: string, args: string[]) => {
    const argv = asRoot ? ["-u", "postgres", "--", join(PG_BIN_DIR, bin), ...args] : args;
    const r = spawnSync(asRoot ? "runuser" : join(PG_BIN_DIR, bin), argv, { encoding: "utf8", cwd: dir, env: { ...process.env, LC_ALL: "C" } });
    if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  run("initdb", ["-D", dataDir, "-U", SUPERUSER, "--auth=scram-sha-256", `--pwfile=${pwFile}`, "-E", "UTF8", "--no-locale"]);
  const logFile = join(dir, "postgres.log");
  let port = 0;
  const start = () =>
    run("pg_ctl", [
      "-D", dataDir, "-l", logFile, "-w", "-t", "30",
      "-o", `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=200 -c fsync=on`,
      "start",
    ]);
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      start();
      break;
    } catch (error) {
      // Another process may have taken the port between our probe and the bind.
      if (attempt >= 3) throw new Error(`${(error as Error).message}\n${existsSync(logFile) ? readFileSync(logFile, "utf8") : ""}`);
    }
  }
  const urlFor = (db: string) => `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  const adminUrl = urlFor("postgres");
  let stopped = false;
  const query = async (sql: string, params: unknown[] = [], url = adminUrl) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    dir,
    adminUrl,
    query,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await query(`CREATE DATABASE "${name}"`);
      return urlFor(name);
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    pause: () => void run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]),
    resume: () => void start(),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function ensurePostgresUser(): number {
  const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  if (id.status === 0) return Number(id.stdout.trim());
  const add = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], { encoding: "utf8" });
  // Another test file may have created it at the same moment.
  const again = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  if (again.status !== 0) throw new Error(`could not create the postgres OS user to run PostgreSQL as (useradd: ${add.stderr})`);
  return Number(again.stdout.trim());
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
