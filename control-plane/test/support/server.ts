import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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
  readonly logs: () => string;
  stop(): Promise<number | null>;
}

export const MESHPLANE_BIN = fileURLToPath(new URL("../../bin/meshplane.js", import.meta.url));

export interface StartOptions {
  readonly env?: Record<string, string>;
  readonly dataDir?: string;
  /** Keep the data dir after stop (default: removed). */
  readonly keepDataDir?: boolean;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "meshplane-test-"));
  const child = spawn(process.execPath, [MESHPLANE_BIN, "serve"], {
    env: {
      ...process.env,
      MESHPLANE_PORT: "0",
      MESHPLANE_HOST: "127.0.0.1",
      MESHPLANE_DATA_DIR: dataDir,
      MESHPLANE_LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
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
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
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
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      const code = await exited;
      if (!options.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
