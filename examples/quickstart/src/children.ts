/**
 * Child processes of the quickstart (synth, terraform, the control plane). Each runs in
 * its own process group (detached), so a Ctrl-C in the terminal reaches the quickstart
 * only, which passes it on exactly once: terraform stops cleanly on one SIGINT but
 * exits at once, mid-apply, on a second. Every child is tracked until it exits, and the
 * quickstart never returns while one still runs: no stray process.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr, without colour codes. */
  readonly output: string;
}

const running = new Set<ChildProcess>();

export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true }));
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (error) => {
      reject(new Error(`could not run ${command}: ${error.message}`));
    });
    // "close": exited and its pipes drained.
    child.on("close", (code, signal) => {
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, output: stripAnsi(`${stdout}${stderr}`) });
    });
  });
}

/** Tracks a child until it exits (spawn it with detached: true). */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  const forget = () => running.delete(child);
  child.once("exit", forget);
  child.once("error", forget);
  return child;
}

/** Passes a signal on to every running child (terraform stops cleanly on SIGINT). */
export function signalChildren(signal: NodeJS.Signals): void {
  for (const child of running) child.kill(signal);
}

/** Resolves once no tracked child runs any more. */
export async function childrenExited(): Promise<void> {
  while (running.size > 0) await new Promise((r) => setTimeout(r, 50));
}

export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, "");
}
