/**
 * Peak memory of the server process and of its PostgreSQL, sampled from /proc while a
 * benchmark runs. The server's peak is the kernel's own high-water mark (VmHWM), so no
 * spike between two samples is missed. PostgreSQL is many processes sharing one
 * shared-buffer segment and the same binary: summing their RSS would count those once per
 * backend, so its figure is the sum of each process's private memory (RssAnon) plus the
 * largest shared part (RssFile + RssShmem) seen in any one of them, at the sampled peak.
 * Linux only; elsewhere the figures are null.
 */
import { readdirSync, readFileSync } from "node:fs";

function statusKb(pid: number): Record<string, number> | null {
  try {
    const out: Record<string, number> = {};
    for (const line of readFileSync(`/proc/${pid}/status`, "utf8").split("\n")) {
      const m = /^(\w+):\s+(\d+) kB$/.exec(line);
      if (m) out[m[1]!] = Number(m[2]);
    }
    return out;
  } catch {
    return null;
  }
}

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* ended meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) if (parent === pid) (out.push(child), walk(child));
  };
  walk(root);
  return out;
}

export interface MemoryPeaks {
  /** The server process's VmHWM, MiB. */
  serverMiB: number | null;
  /** PostgreSQL (every process below the server), MiB, as described above. */
  postgresMiB: number | null;
}

/** Samples every `everyMs` until `stop()`, which answers the peaks. */
export function sampleMemory(serverPid: number, everyMs = 200): { stop(): MemoryPeaks } {
  let postgresPeakKb = 0;
  let sampled = false;
  const sample = () => {
    let privateKb = 0;
    let sharedKb = 0;
    for (const pid of descendants(serverPid)) {
      const s = statusKb(pid);
      if (!s) continue;
      sampled = true;
      privateKb += s["RssAnon"] ?? 0;
      sharedKb = Math.max(sharedKb, (s["RssFile"] ?? 0) + (s["RssShmem"] ?? 0));
    }
    postgresPeakKb = Math.max(postgresPeakKb, privateKb + sharedKb);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const hwm = statusKb(serverPid)?.["VmHWM"];
      return { serverMiB: hwm === undefined ? null : hwm / 1024, postgresMiB: sampled ? postgresPeakKb / 1024 : null };
    },
  };
}
