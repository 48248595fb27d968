import { readdirSync, readFileSync, readlinkSync } from "node:fs";

// The product's own check (EPERM: the process exists but belongs to another user).
export { isAlive } from "@meshplane/control-plane/src/db/data-dir-lock.ts";

/** Processes on this machine, read from /proc (Linux): pid and argv. */
export function processes(): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      if (argv.length > 0) out.push({ pid: Number(entry), argv });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * PostgreSQL server processes (postmasters) started with `-D <dir>` under `dataDir`. A
 * backend forked a moment ago still shows its postmaster's command line until it sets
 * its own title (longer on a loaded machine, and the workers connect often): a process
 * whose parent is one of the matches is such a child, not a second postmaster.
 */
export function postgresProcessesOn(dataDir: string): { pid: number; argv: string[] }[] {
  const matches = processes().filter(
    (p) => /(^|\/)postgres$/.test(p.argv[0] ?? "") && p.argv.some((a, i) => (a === "-D" && (p.argv[i + 1] ?? "").startsWith(dataDir)) || a.startsWith(`--pgdata=${dataDir}`)),
  );
  const pids = new Set(matches.map((p) => p.pid));
  return matches.filter((p) => !pids.has(parentOf(p.pid)));
}

function parentOf(pid: number): number {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return -1;
  }
}


/** Polls `check` until it holds or `timeoutMs` passes; answers whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Processes whose working directory is `dir` (e.g. terraform and the providers it started there). */
export function processesIn(dir: string): number[] {
  return processes()
    .filter((p) => {
      try {
        return readlinkSync(`/proc/${p.pid}/cwd`) === dir;
      } catch {
        return false; // gone, or not ours
      }
    })
    .map((p) => p.pid);
}

/** Processes whose command line or environment mentions a path: strays of a run in that folder, as "pid: argv". */
export function processesMentioning(path: string): string[] {
  const found: string[] = [];
  for (const p of processes()) {
    if (p.pid === process.pid) continue;
    let environ = "";
    try {
      environ = readFileSync(`/proc/${p.pid}/environ`, "utf8");
    } catch {
      /* gone, or not ours to read: its command line still counts */
    }
    if (p.argv.some((a) => a.includes(path)) || environ.includes(path)) found.push(`${p.pid}: ${p.argv.join(" ").slice(0, 200)}`);
  }
  return found;
}
