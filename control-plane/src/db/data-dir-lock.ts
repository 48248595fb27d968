import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * One control plane per data dir: a second `meshplane serve` on the same folder would
 * start a second postmaster on the same files. The lock file holds our pid; a lock
 * left by a dead process is taken over.
 */
export interface DataDirLock {
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `MESHPLANE_DATA_DIR: ${dataDir} is in use by another control plane (pid ${pid}). ` +
        `Stop it, or point MESHPLANE_DATA_DIR at another folder; several replicas must share an external PostgreSQL (MESHPLANE_DATABASE_URL).`,
    );
    this.name = "DataDirInUseError";
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = join(dataDir, "meshplane.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${file}`);
}

/** Whether a process exists (EPERM: it does, but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
