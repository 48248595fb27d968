import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * A real `meshplane serve` process for tests: its own data dir, an embedded PostgreSQL
 * (or MESHPLANE_DATABASE_URL), a random port. `stop()` sends SIGTERM and waits.
 */
export interface TestServer {
  readonly url: string;
  readonly api: string;
  readonly adminKey: string;
  readonly dataDir: string;
  readonly process: ChildProcess;
  /** stdout and stderr together, as the process wrote them so far. */
  readonly logs: () => string;
  /** stderr only (where the JSON logs go). */
  readonly stderr: () => string;
  /** Sends `signal` (default SIGTERM), waits for the exit, answers the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The control plane's own command, found through its package (not a path relative to this file). */
export const MESHPLANE_BIN = join(dirname(createRequire(import.meta.url).resolve("@meshplane/control-plane/package.json")), "bin", "meshplane.js");

export interface StartOptions {
  readonly env?: Record<string, string>;
  readonly dataDir?: string;
  /** Keep the data dir after stop (default: removed). */
  readonly keepDataDir?: boolean;
}

/** The environment a test server runs with: the parent's, plus test defaults, plus `env`. */
function serverEnv(dataDir: string, env: Record<string, string> | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MESHPLANE_PORT: "0",
    MESHPLANE_HOST: "127.0.0.1",
    MESHPLANE_DATA_DIR: dataDir,
    MESHPLANE_LOG_LEVEL: "warn",
    // Every reply is checked against its route's declared response schema (router.ts).
    MESHPLANE_CHECK_RESPONSES: "1",
    ...env,
  };
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "meshplane-test-"));
  const child = spawn(process.execPath, [MESHPLANE_BIN, "serve"], {
    env: serverEnv(dataDir, options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    output += d.toString();
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr!.on("data", onData);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${signal ? `signal ${signal}` : code} before listening:\n${output}`));
    });
  });
  const adminKey = options.env?.["MESHPLANE_ADMIN_API_KEY"] ?? readFileSync(join(dataDir, "admin.key"), "utf8").trim();
  return {
    url,
    api: `${url}/api/v1`,
    adminKey,
    dataDir,
    process: child,
    logs: () => output,
    stderr: () => stderr,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) {
        if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
        return child.exitCode;
      }
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill(signal);
      const code = await exited;
      if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface FinishedRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs `meshplane <args>` to completion (for start-ups that must fail): answers its exit
 * code and output. A process still running after `timeoutMs` is killed and the promise
 * rejects, so "should have failed fast" never hangs a test.
 */
export function runMeshplane(options: { env?: Record<string, string>; dataDir?: string; args?: string[]; timeoutMs?: number } = {}): Promise<FinishedRun> {
  const ownDir = options.dataDir === undefined && options.env?.["MESHPLANE_DATA_DIR"] === undefined;
  const dataDir = options.dataDir ?? join(tmpdir(), `meshplane-run-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = Date.now();
  const child = spawn(process.execPath, [MESHPLANE_BIN, ...(options.args ?? ["serve"])], {
    env: serverEnv(dataDir, options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`meshplane ${options.args?.join(" ") ?? "serve"} still running after ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    // "close": the process has exited and its pipes are drained.
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // A data dir we chose (not created here: `meshplane` creates it if it gets that far).
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
