import { spawn, type ChildProcess } from "node:child_process";
import { MESHPLANE_BIN } from "./server.ts";

/** A real `meshplane worker` process for tests (no HTTP): started on `databaseUrl`, ready once it says so. */
export interface TestWorker {
  readonly process: ChildProcess;
  readonly pid: number;
  /** `host:pid`, as task runs record it in worker_id. */
  readonly workerId: string;
  /** With MESHPLANE_METRICS_PORT: the base URL of its /metrics and /healthz. */
  readonly metricsUrl: string | undefined;
  readonly stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) unless it has exited, and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startWorker(databaseUrl: string, env: Record<string, string> = {}): Promise<TestWorker> {
  const child = spawn(process.execPath, [MESHPLANE_BIN, "worker"], {
    env: { ...process.env, MESHPLANE_DATABASE_URL: databaseUrl, MESHPLANE_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const workerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 60 s:\n${stderr}`)), 60_000);
    const onData = () => {
      const m = /meshplane: worker (\S+) running/.exec(stderr);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr!.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${signal ?? code} before running:\n${stderr}`));
    });
  });
  return {
    process: child,
    pid: child.pid!,
    workerId,
    metricsUrl: /metrics on (\S+)\/metrics/.exec(stderr)?.[1],
    stderr: () => stderr,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
