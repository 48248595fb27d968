/** Processes whose command line or environment mentions a path (Linux /proc): strays of a run in that folder. */
import { readdirSync, readFileSync } from "node:fs";

export function processesMentioning(path: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    for (const file of ["cmdline", "environ"]) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/${file}`, "utf8");
      } catch {
        continue; // gone, or not ours to read
      }
      if (text.includes(path)) {
        found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").slice(0, 200)}`);
        break;
      }
    }
  }
  return found;
}
