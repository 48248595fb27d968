/**
 * The control plane as its own process, exactly as a user starts it (`meshplane serve`):
 * the quickstart talks to it over HTTP only, like terraform and curl do. Its logs
 * (warnings and errors, JSON) go to a file, not over the quickstart's output.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { track } from "./children.ts";
import { MESHPLANE_BIN } from "./paths.ts";

export interface ControlPlane {
  readonly url: string;
  readonly adminKey: string;
  /** Where the bootstrap key is, when the control plane generated it. */
  readonly adminKeyFile?: string;
  readonly startedMs: number;
  /** SIGTERM, then waits: the server stops its PostgreSQL before it exits. */
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  readonly dataDir: string;
  readonly logFile: string;
  readonly host: string;
  /** Unset: 8080 when free, any free port otherwise. */
  readonly port?: number;
}

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const port = options.port ?? ((await portIsFree(8080, options.host)) ? 8080 : 0);
  const started = Date.now();
  const child = spawn(process.execPath, [MESHPLANE_BIN, "serve"], {
    env: {
      ...process.env,
      MESHPLANE_DATA_DIR: options.dataDir,
      MESHPLANE_HOST: options.host,
      MESHPLANE_PORT: String(port),
      MESHPLANE_LOG_LEVEL: process.env["MESHPLANE_LOG_LEVEL"] ?? "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // see children.ts: a Ctrl-C reaches it through the quickstart, once
  });
  track(child);
  let output = "";
  const onData = (d: Buffer) => {
    output += d.toString();
    appendFileSync(options.logFile, d);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the control plane did not start within ${START_TIMEOUT_MS / 1000} s; its log: ${options.logFile}`)), START_TIMEOUT_MS);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stderr!.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      // The server says what is wrong in one line (a busy data dir, a bad variable).
      const said = output.trim().split("\n").filter((l) => l.startsWith("meshplane:")).pop();
      reject(new Error(said?.replace(/^meshplane: /, "the control plane: ") ?? `the control plane exited (${signal ?? code}) before listening; its log: ${options.logFile}`));
    });
  }).catch(async (error: Error) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    throw error;
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    const { key, file } = adminKeyOf(options.dataDir);
    return { url, adminKey: key, ...(file ? { adminKeyFile: file } : {}), startedMs: Date.now() - started, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** MESHPLANE_ADMIN_API_KEY when set, else the key the bootstrap wrote into the data dir. */
function adminKeyOf(dataDir: string): { key: string; file?: string } {
  const fromEnv = process.env["MESHPLANE_ADMIN_API_KEY"];
  if (fromEnv) return { key: fromEnv };
  const file = join(dataDir, "admin.key");
  if (!existsSync(file)) {
    throw new Error(`no admin key: ${file} does not exist (the database was bootstrapped elsewhere); set MESHPLANE_ADMIN_API_KEY to a platform-admin key`);
  }
  return { key: readFileSync(file, "utf8").trim(), file };
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
