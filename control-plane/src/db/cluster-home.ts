import { randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../config.ts";
import type { Logger } from "../logger.ts";
import { isAlive } from "./data-dir-lock.ts";
import { POSTGRES_HOME } from "./postgres-as-root.ts";

/**
 * Clusters of data dirs the OS user postgres cannot reach (as root, in a 0700 home):
 * `POSTGRES_HOME/clusters/<id>/` holds `pgdata/` (owned by postgres, 0700) and
 * `data-dir` (the path of the data dir it belongs to). The data dir records the id in
 * its file `postgres-cluster`, so it finds its cluster again; everything else of the
 * data dir (keys, password, lock) stays in it. A cluster whose data dir is gone, or no
 * longer records it, is an orphan, removed by the next start as root: deleting the data
 * dir stays the way to start afresh.
 */
export const CLUSTERS = join(POSTGRES_HOME, "clusters");
export const CLUSTER_RECORD = "postgres-cluster";
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cluster id the data dir records, if any; a record that is not one is refused (nothing is guessed). */
export function recordedCluster(dataDir: string): string | undefined {
  const file = join(dataDir, CLUSTER_RECORD);
  if (!existsSync(file)) return undefined;
  const id = readFileSync(file, "utf8").trim();
  if (!ID.test(id)) {
    throw new ConfigError("MESHPLANE_DATA_DIR", `${file} should hold the id of the data dir's PostgreSQL cluster in ${CLUSTERS}, but holds ${JSON.stringify(id.slice(0, 60))}; restore it, or delete ${dataDir} to start afresh`);
  }
  return id;
}

/**
 * The `pgdata` folder of the data dir's cluster: the recorded one (which must still be
 * there), else a new one. Call with the data dir locked. The record is written before
 * the cluster appears (under its final name, by a rename), so a concurrent sweep never
 * sees a cluster that no data dir records.
 */
export function clusterOf(dataDir: string, recorded: string | undefined): string {
  const owner = resolve(dataDir);
  if (recorded) {
    const home = join(CLUSTERS, recorded);
    const partial = join(CLUSTERS, `.${recorded}.partial`);
    // A creation that crashed between the record and the rename: finish it (initdb follows).
    if (!existsSync(home) && existsSync(partial)) renameSync(partial, home);
    if (!existsSync(home)) {
      throw new ConfigError(
        "MESHPLANE_DATA_DIR",
        `${join(dataDir, CLUSTER_RECORD)} names the PostgreSQL cluster ${home}, which is gone (removed by hand?); the data dir's database cannot be recovered from it: delete ${dataDir} to start afresh`,
      );
    }
    // A data dir that was moved claims its cluster under its new path.
    if (readOwner(home) !== owner) writeFileSync(join(home, "data-dir"), `${owner}\n`, { mode: 0o644 });
    return join(home, "pgdata");
  }
  mkdirSync(CLUSTERS, { recursive: true, mode: 0o711 });
  // Others may pass through to their own cluster, not list them.
  chmodSync(POSTGRES_HOME, 0o755);
  chmodSync(CLUSTERS, 0o711);
  const id = randomUUID();
  writeFileSync(join(dataDir, CLUSTER_RECORD), `${id}\n`, { mode: 0o600 });
  const staging = join(CLUSTERS, `.${id}.partial`);
  mkdirSync(staging, { mode: 0o711 });
  writeFileSync(join(staging, "data-dir"), `${owner}\n`, { mode: 0o644 });
  renameSync(staging, join(CLUSTERS, id));
  return join(CLUSTERS, id, "pgdata");
}

function readOwner(home: string): string | undefined {
  try {
    return readFileSync(join(home, "data-dir"), "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * Removes the clusters no data dir records any more (and leftovers of creations that
 * crashed before their rename), except one whose postmaster is still running (its data
 * dir deleted under a live server: that server still uses it). Answers the ids removed.
 */
export function sweepOrphanClusters(logger: Logger): string[] {
  if (!existsSync(CLUSTERS)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(CLUSTERS)) {
    const home = join(CLUSTERS, entry);
    const partial = /^\.(.+)\.partial$/.exec(entry)?.[1];
    if (partial) {
      // A creation in progress, or one that crashed before its rename (its data dir finishes it on its next start unless it is gone).
      if (!existsSync(join(CLUSTERS, partial)) && !ownerRecords(readOwner(home), partial)) rmSync(home, { recursive: true, force: true });
      continue;
    }
    const owner = readOwner(home);
    if (!ID.test(entry) || ownerRecords(owner, entry) || postmasterRunning(join(home, "pgdata"))) continue;
    rmSync(home, { recursive: true, force: true });
    removed.push(entry);
    logger.info({ cluster: home, dataDir: owner }, "removed the PostgreSQL cluster of a data dir that is gone");
  }
  return removed;
}

function ownerRecords(owner: string | undefined, id: string): boolean {
  if (!owner) return false;
  try {
    return readFileSync(join(owner, CLUSTER_RECORD), "utf8").trim() === id;
  } catch {
    return false;
  }
}

function postmasterRunning(pgdata: string): boolean {
  try {
    const pid = Number(readFileSync(join(pgdata, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid);
  } catch {
    return false;
  }
}
