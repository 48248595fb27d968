/**
 * CPU time per request, split by process: the API (the `meshplane serve` process's own),
 * PostgreSQL (every process below it: postmaster, backends, autovacuum, WAL writer) and
 * the load generator (this process). On a 2-core machine shared by all three, this says
 * which one a scenario is waiting for. Linux /proc only; elsewhere the split is empty.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface CpuSplit {
  api: number;
  postgres: number;
  loadGenerator: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function processTable(): Map<number, { ppid: number; seconds: number }> {
  const table = new Map<number, { ppid: number; seconds: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which may itself contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime + stime, plus cutime + cstime: the time of children it has reaped, so that a
      // backend or autovacuum worker that ends between two samples still counts.
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      table.set(Number(entry), { ppid: Number(fields[1]), seconds: ticks / TICKS_PER_SECOND });
    } catch {
      /* the process ended meanwhile */
    }
  }
  return table;
}

/** Cumulative CPU seconds of the server process, of its descendants, and of this process. */
export function sampleCpu(serverPid: number): CpuSplit | null {
  let table: ReturnType<typeof processTable>;
  try {
    table = processTable();
  } catch {
    return null;
  }
  const server = table.get(serverPid);
  if (!server) return null;
  let postgres = 0;
  const below = (pid: number) => {
    for (const [child, p] of table) {
      if (p.ppid !== pid) continue;
      postgres += p.seconds;
      below(child);
    }
  };
  below(serverPid);
  const self = process.cpuUsage();
  return { api: server.seconds, postgres, loadGenerator: (self.user + self.system) / 1e6 };
}

/** Milliseconds of CPU per request between two samples. */
export function perRequest(before: CpuSplit | null, after: CpuSplit | null, requests: number): CpuSplit | null {
  if (!before || !after || requests <= 0) return null;
  const ms = (a: number, b: number) => ((a - b) * 1000) / requests;
  return { api: ms(after.api, before.api), postgres: ms(after.postgres, before.postgres), loadGenerator: ms(after.loadGenerator, before.loadGenerator) };
}
