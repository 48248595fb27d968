// Planned objects shared between the provider processes of one terraform command.
// Every provider configuration (each `alias`) is a process of its own: a namespace
// planned through `meshplane.admin` and a flow planned through the default provider
// meet only here. Terraform starts them all as its children, so the run is named by
// the parent process (its pid and start time, from /proc: a reused pid is another
// run); each process appends its records to a file of its own in a folder only this
// user can enter, per API endpoint (what one control plane will hold says nothing
// about another), and reads the others' files where it stopped last time.
//
// Terraform plans a resource after the plans of all it references have returned, in
// whichever process, and a record is written before its plan returns: so the flow's
// process finds it. Only a convenience of plan time (the apply's PUT checks all), so
// anything unusual (no /proc, a folder that is not ours) just means no sharing.
import { createHash } from "node:crypto";
import { appendFileSync, closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type SharedRecord = Record<string, unknown> & { kind: "namespace" | "grant" | "flow" };

export class SharedPlanFiles {
  private readonly own: string;
  private readonly offsets = new Map<string, number>();
  private partial = new Map<string, string>();

  constructor(
    private readonly runDir: string,
    private readonly prefix: string,
    pid = process.pid,
  ) {
    this.own = `${prefix}.${pid}.jsonl`;
  }

  write(record: SharedRecord): void {
    try {
      appendFileSync(join(this.runDir, this.own), JSON.stringify(record) + "\n", { mode: 0o600 });
    } catch {
      // sharing is best effort: the records of this process still count here
    }
  }

  /** Records the other processes of this run appended since the last call. */
  readNew(): SharedRecord[] {
    const out: SharedRecord[] = [];
    let names: string[];
    try {
      names = readdirSync(this.runDir).filter((n) => n.startsWith(`${this.prefix}.`) && n !== this.own);
    } catch {
      return out;
    }
    for (const name of names) {
      const text = this.readFrom(name);
      if (!text) continue;
      const lines = ((this.partial.get(name) ?? "") + text).split("\n");
      this.partial.set(name, lines.pop() ?? ""); // a line still being written
      for (const line of lines) {
        try {
          const r = JSON.parse(line) as SharedRecord;
          if (r && typeof r === "object" && ["namespace", "grant", "flow"].includes(r.kind)) out.push(r);
        } catch {
          // not ours to understand: ignored
        }
      }
    }
    return out;
  }

  private readFrom(name: string): string {
    let fd: number | undefined;
    try {
      fd = openSync(join(this.runDir, name), "r");
      const start = this.offsets.get(name) ?? 0;
      const size = fstatSync(fd).size;
      if (size <= start) return "";
      const buf = Buffer.alloc(size - start);
      const n = readSync(fd, buf, 0, buf.length, start);
      this.offsets.set(name, start + n);
      return buf.subarray(0, n).toString("utf8");
    } catch {
      return "";
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** The start time of a process (clock ticks since boot), or undefined when /proc cannot say. */
function startTime(pid: number): string | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so count after the last ')'.
    const stat = readProcFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function readProcFile(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** A folder of ours: created 0700 if missing; refused if it is a link or someone else's. */
function ownDir(path: string): boolean {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const st = lstatSync(path);
  return st.isDirectory() && (typeof process.getuid !== "function" || (st.uid === process.getuid() && (st.mode & 0o077) === 0));
}

/** Removes the folders of runs whose terraform has exited. */
function sweep(base: string): void {
  for (const name of readdirSync(base)) {
    const [pid, start] = name.split("-");
    if (!pid || !start || startTime(Number(pid)) === start) continue;
    rmSync(join(base, name), { recursive: true, force: true });
  }
}

/** The shared files of this terraform run for `endpoint`, or undefined when the run cannot be named. */
export function sharedPlanFiles(endpoint: string, env: NodeJS.ProcessEnv = process.env): SharedPlanFiles | undefined {
  if (env.MESHPLANE_PROVIDER_SHARE_PLAN === "0") return undefined;
  try {
    const parent = process.ppid;
    const start = startTime(parent);
    if (!start || parent <= 1) return undefined;
    const base = join(tmpdir(), `meshplane-plan-${typeof process.getuid === "function" ? process.getuid() : "user"}`);
    if (!ownDir(base)) return undefined;
    sweep(base);
    const runDir = join(base, `${parent}-${start}`);
    if (!ownDir(runDir)) return undefined;
    return new SharedPlanFiles(runDir, createHash("sha256").update(endpoint).digest("hex").slice(0, 16));
  } catch {
    return undefined;
  }
}
