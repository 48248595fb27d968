import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OsUser, PostgresBinaries } from "./postgres-process.ts";

/**
 * PostgreSQL refuses to run as root, so as root (containers, CI runners) it runs as the
 * OS user `postgres`. That user must reach the binaries and the cluster's folder; a
 * checkout in a 0700 home (`/root/meshplane`) keeps it out of both. What it cannot
 * reach is kept here instead: root-owned, world-readable binaries, and the clusters of
 * such data dirs (cluster-home.ts).
 */
export const POSTGRES_HOME = "/var/lib/meshplane-postgres";

/** The `postgres` OS user, created (system user, no home, no shell) when missing. */
export function postgresOsUser(): OsUser {
  const existing = idOf("postgres");
  if (existing) return existing;
  const add = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], { encoding: "utf8" });
  // Another process may have created it at the same moment: look again either way.
  const created = idOf("postgres");
  if (!created) throw new Error(`as root, the embedded PostgreSQL runs as the OS user postgres, which does not exist and could not be created (useradd: ${(add.stderr ?? add.error?.message ?? "").trim()}); create it, or run as another user`);
  return created;
}

function idOf(name: string): OsUser | undefined {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Whether `user` can search (enter) `dir`, asked of the kernel the way PostgreSQL will
 * run: a child with that uid and gid and no supplementary groups (Node's spawn drops
 * them), so modes, ownership and ACLs of every folder above count exactly as they will.
 */
export function canEnter(user: OsUser, dir: string): boolean {
  return spawnSync("test", ["-x", dir], { uid: user.uid, gid: user.gid, cwd: "/", stdio: "ignore" }).status === 0;
}

/** The first folder from `/` down to `path` that `user` cannot enter (for messages), if any. */
export function firstClosedFolder(user: OsUser, path: string): { dir: string; mode: string } | undefined {
  const chain: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    if (!canEnter(user, dir)) return { dir, mode: (statSync(dir).mode & 0o777).toString(8) };
  }
  return undefined;
}

/**
 * Binaries `user` can run: the packaged ones when it can reach them, otherwise a copy
 * made once in POSTGRES_HOME/postgres-<version> (about 60 MB; every data dir and every
 * checkout of that version shares it). The copy is made under a temporary name and
 * renamed into place, so a concurrent start never runs a half-copied installation.
 */
export function binariesRunnableBy(user: OsUser, packaged: PostgresBinaries): PostgresBinaries {
  if (canEnter(user, join(packaged.dir, "bin")) && canEnter(user, join(packaged.dir, "lib"))) return packaged;
  const target = join(POSTGRES_HOME, `postgres-${packaged.version}`);
  if (!existsSync(join(target, "bin", "postgres"))) {
    mkdirSync(POSTGRES_HOME, { recursive: true, mode: 0o755 });
    chmodSync(POSTGRES_HOME, 0o755);
    const staging = `${target}.${process.pid}.partial`;
    rmSync(staging, { recursive: true, force: true });
    // Relative symlinks of lib/ stay symlinks; modes are kept (bin/ is r-x for all).
    cpSync(packaged.dir, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another process got there first (ENOTEMPTY/EEXIST): use its copy.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(target, "bin", "postgres"))) throw error;
    }
  }
  const copy = { dir: target, version: packaged.version };
  if (!canEnter(user, join(target, "bin"))) {
    const closed = firstClosedFolder(user, join(target, "bin"));
    throw new Error(`the OS user postgres cannot reach the PostgreSQL binaries copied to ${target}${closed ? `: ${closed.dir} has mode ${closed.mode}` : ""}; allow it through (chmod o+x), or set MESHPLANE_DATABASE_URL`);
  }
  return copy;
}
