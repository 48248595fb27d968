/**
 * `meshplane serve` as a process (SPEC §5, issue 2 "Operations"): SIGTERM and SIGINT
 * stop the HTTP server and the embedded PostgreSQL (no postmaster left on the data dir,
 * lock released, exit code 0); a second process on the same data dir fails with one
 * line naming MESHPLANE_DATA_DIR while the first keeps serving; a restart keeps data and
 * the admin key; a SIGKILLed server's orphaned PostgreSQL is taken over by the next
 * start; the bootstrap key file is 0600 and only its path is printed;
 * MESHPLANE_ADMIN_API_KEY registers that key.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { eventually, isAlive, postgresProcessesOn } from "./support/processes.ts";
import { MESHPLANE_BIN, runMeshplane, startServer, type TestServer } from "./support/server.ts";

const dirs: string[] = [];
const running: TestServer[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "meshplane-lifecycle-"));
  dirs.push(dir);
  return dir;
}
async function start(dir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const s = await startServer({ dataDir: dir, keepDataDir: true, env });
  running.push(s);
  return s;
}
afterAll(async () => {
  for (const s of running) await s.stop("SIGTERM").catch(() => undefined);
  // A failed test may leave a postmaster behind: stop those on our dirs, by pid.
  for (const dir of dirs) for (const p of postgresProcessesOn(dir)) process.kill(p.pid, "SIGINT");
  for (const dir of dirs) {
    await eventually(() => postgresProcessesOn(dir).length === 0, 10_000);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function serves(s: TestServer): Promise<boolean> {
  try {
    return (await fetch(`${s.url}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

function postmasterOf(dir: string): number {
  const found = postgresProcessesOn(dir);
  expect(found, `postmasters on ${dir}`).toHaveLength(1);
  return found[0]!.pid;
}

describe.each(["SIGTERM", "SIGINT"] as const)("%s", (signal) => {
  it(`stops the HTTP server and the embedded PostgreSQL, releases the lock, exits 0`, async () => {
    const dir = dataDir();
    const s = await start(dir);
    const admin = new ApiClient(s.api, s.adminKey);
    expect((await admin.post("/teams", { name: "before-stop" })).status).toBe(201);
    const postmaster = postmasterOf(dir);
    expect(existsSync(join(dir, "meshplane.lock"))).toBe(true);
    expect(readFileSync(join(dir, "meshplane.lock"), "utf8").trim()).toBe(String(s.process.pid));

    const code = await s.stop(signal);
    expect(code, s.logs()).toBe(0);
    expect(isAlive(postmaster), "the postmaster outlived the control plane").toBe(false);
    expect(postgresProcessesOn(dir)).toEqual([]);
    expect(existsSync(join(dir, "meshplane.lock")), "lock file left behind").toBe(false);
    expect(existsSync(join(dir, "postgres", "postmaster.pid")), "PostgreSQL did not shut down cleanly").toBe(false);
    expect(await serves(s)).toBe(false);
    expect(s.logs()).not.toMatch(/"level":50|error while shutting down/);
  });
});

describe("SIGTERM during start-up", () => {
  it("is honoured once started: exit 0, no postmaster, no lock left", async () => {
    const dir = dataDir();
    const child = spawn(process.execPath, [MESHPLANE_BIN, "serve"], {
      env: { ...process.env, MESHPLANE_PORT: "0", MESHPLANE_DATA_DIR: dir, MESHPLANE_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    // While initdb runs (seconds): the embedded database is being created, nothing listens yet.
    expect(await eventually(() => output.includes("initialising the embedded PostgreSQL"), 30_000, 20)).toBe(true);
    child.kill("SIGTERM");
    const { code, signal } = await exited;
    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    expect(postgresProcessesOn(dir), output).toEqual([]);
    expect(existsSync(join(dir, "meshplane.lock")), "lock file left behind").toBe(false);
    // And the next start finds a sound data dir.
    const s = await start(dir);
    expect(await serves(s)).toBe(true);
    expect(await s.stop()).toBe(0);
  });
});

describe("SIGTERM under load", () => {
  it("answers the requests in flight (never a 5xx), and every write it acknowledged is there after a restart", async () => {
    const dir = dataDir();
    const s = await start(dir);
    const admin = new ApiClient(s.api, s.adminKey);
    expect((await admin.get("/whoami")).status).toBe(200);
    const outcomes: { name: string; status: number | string }[] = [];
    const calls = Array.from({ length: 150 }, (_, i) =>
      admin.post("/teams", { name: `inflight-${i}` }).then(
        (r) => outcomes.push({ name: `inflight-${i}`, status: r.status }),
        // Refused or cut at the connection level: the client knows it got no answer.
        (e: Error & { cause?: { code?: string } }) => outcomes.push({ name: `inflight-${i}`, status: e.cause?.code ?? e.message }),
      ),
    );
    await new Promise((r) => setTimeout(r, 40));
    const started = Date.now();
    const code = await s.stop("SIGTERM");
    const stopMs = Date.now() - started;
    await Promise.all(calls);
    expect(code, s.logs()).toBe(0);
    const answered = outcomes.filter((o) => typeof o.status === "number");
    expect(answered.filter((o) => (o.status as number) >= 500), JSON.stringify(outcomes)).toEqual([]);
    expect(answered.every((o) => o.status === 201)).toBe(true);
    expect(outcomes.filter((o) => typeof o.status === "string").every((o) => /ECONNRESET|ECONNREFUSED|UND_ERR_SOCKET|other side closed|fetch failed/.test(String(o.status))), JSON.stringify(outcomes)).toBe(true);
    expect(stopMs, "shutdown took too long").toBeLessThan(10_000);

    const again = await start(dir);
    const teams = new Set((await new ApiClient(again.api, again.adminKey).get("/teams?limit=500")).body.items.map((t: { name: string }) => t.name));
    for (const o of answered) expect(teams.has(o.name), `${o.name} was acknowledged (201) but is gone`).toBe(true);
    expect(await again.stop()).toBe(0);
  });
});

describe("one control plane per data dir", () => {
  it("a second `meshplane serve` on the same data dir exits non-zero with one line naming MESHPLANE_DATA_DIR; the first keeps serving", async () => {
    const dir = dataDir();
    const first = await start(dir);
    const admin = new ApiClient(first.api, first.adminKey);
    const postmaster = postmasterOf(dir);

    const second = await runMeshplane({ dataDir: dir, timeoutMs: 30_000 });
    const output = `${second.stdout}${second.stderr}`;
    expect(second.code, output).not.toBe(0);
    expect(second.code, output).not.toBeNull();
    const lines = output.split("\n").filter((l) => l.trim() !== "");
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toMatch(/^meshplane: MESHPLANE_DATA_DIR: /);
    expect(lines[0]).toContain(dir);
    expect(lines[0]).toContain(`pid ${first.process.pid}`);

    // The first is untouched: same postmaster, same lock, still reading and writing.
    expect(postmasterOf(dir)).toBe(postmaster);
    expect(readFileSync(join(dir, "meshplane.lock"), "utf8").trim()).toBe(String(first.process.pid));
    expect(await serves(first)).toBe(true);
    expect((await admin.post("/teams", { name: "still-serving" })).status).toBe(201);
    expect((await admin.get("/teams/still-serving")).status).toBe(200);
    expect(await first.stop()).toBe(0);
  });
});

describe("restarts", () => {
  it("a restart on the same data dir keeps the data and the admin key, and does not bootstrap again", async () => {
    const dir = dataDir();
    const first = await start(dir);
    const keyFile = join(dir, "admin.key");
    const key = first.adminKey;
    const keyMtime = statSync(keyFile).mtimeMs;
    const admin = new ApiClient(first.api, key);
    expect((await admin.post("/teams", { name: "durable", description: "survives restarts" })).status).toBe(201);
    expect((await admin.post("/service-accounts", { name: "durable-ci", team: "durable" })).status).toBe(201);
    const sa = await admin.post("/service-accounts/durable-ci/keys", {});
    // The JWT secret is kept too: a token issued before the restart is still good after it.
    const token = (await admin.post("/auth/token", { api_key: key })).body.access_token as string;
    expect(await first.stop()).toBe(0);

    const second = await start(dir);
    expect(second.adminKey).toBe(key);
    expect(statSync(keyFile).mtimeMs).toBe(keyMtime);
    expect(second.logs()).not.toMatch(/bootstrap admin API key written/);
    const again = new ApiClient(second.api, key);
    expect((await again.get("/whoami")).body).toMatchObject({ subject: "platform-admin", platformAdmin: true });
    expect((await again.get("/teams/durable")).body).toMatchObject({ name: "durable", description: "survives restarts" });
    expect((await again.as(sa.body.key).get("/whoami")).body).toMatchObject({ subject: "durable-ci", team: "durable" });
    expect((await again.as(token).get("/whoami")).body).toMatchObject({ subject: "platform-admin" });
    const bootstraps = await again.get("/audit?resourceType=api-key");
    expect(bootstraps.body.items.filter((e: { action: string }) => e.action === "bootstrap")).toHaveLength(1);
    expect(await second.stop()).toBe(0);
  });

  it("after a SIGKILL, the next start takes over the orphaned PostgreSQL and the stale lock, with the data intact", async () => {
    const dir = dataDir();
    const first = await start(dir);
    expect((await new ApiClient(first.api, first.adminKey).post("/teams", { name: "before-crash" })).status).toBe(201);
    const orphan = postmasterOf(dir);
    const exited = new Promise((r) => first.process.once("exit", r));
    first.process.kill("SIGKILL");
    await exited;
    // The crash leaves both behind: that is the situation to recover from.
    expect(isAlive(orphan), "expected the postmaster to outlive a SIGKILLed control plane").toBe(true);
    expect(existsSync(join(dir, "meshplane.lock"))).toBe(true);

    const second = await start(dir);
    expect(isAlive(orphan), "the orphaned postmaster was not stopped").toBe(false);
    const postmaster = postmasterOf(dir);
    expect(postmaster).not.toBe(orphan);
    expect(readFileSync(join(dir, "meshplane.lock"), "utf8").trim()).toBe(String(second.process.pid));
    const admin = new ApiClient(second.api, second.adminKey);
    expect((await admin.get("/teams/before-crash")).status).toBe(200);
    expect((await admin.post("/teams", { name: "after-crash" })).status).toBe(201);
    expect(await second.stop()).toBe(0);
    expect(postgresProcessesOn(dir)).toEqual([]);
  });
});

describe("the bootstrap admin key", () => {
  it("is written to <data dir>/admin.key with mode 0600 and only its path is printed; other generated secrets are 0600 too", async () => {
    const dir = dataDir();
    const s = await start(dir, { MESHPLANE_LOG_LEVEL: "debug" });
    const keyFile = join(dir, "admin.key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(s.adminKey).toMatch(/^mp_[A-Za-z0-9_-]{43}$/);
    expect(s.logs()).toContain(`bootstrap admin API key written to ${keyFile}`);
    expect(s.logs()).not.toContain(s.adminKey);
    expect(s.logs()).not.toContain(s.adminKey.slice(3, 20));
    for (const f of ["jwt.secret", "postgres.password"]) {
      expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
      const secret = readFileSync(join(dir, f), "utf8").trim();
      expect(s.logs(), f).not.toContain(secret);
    }
    // The data dir itself is not readable by others (only traversable, for PostgreSQL's own user when run as root).
    expect(statSync(dir).mode & 0o066).toBe(0);
    expect(await s.stop()).toBe(0);
  });

  it("MESHPLANE_ADMIN_API_KEY registers that key (no key file); on a non-empty database another value is ignored", async () => {
    const dir = dataDir();
    const key = `mp_${randomBytes(32).toString("base64url")}`;
    const s = await start(dir, { MESHPLANE_ADMIN_API_KEY: key });
    expect(existsSync(join(dir, "admin.key"))).toBe(false);
    expect(s.logs()).not.toContain(key);
    const me = await new ApiClient(s.api, key).get("/whoami");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ subject: "platform-admin", team: "platform", platformAdmin: true });
    expect(await s.stop()).toBe(0);

    const other = `mp_${randomBytes(32).toString("base64url")}`;
    const again = await start(dir, { MESHPLANE_ADMIN_API_KEY: other });
    expect((await new ApiClient(again.api, key).get("/whoami")).status).toBe(200);
    expect((await new ApiClient(again.api, other).get("/whoami")).status).toBe(401);
    expect(again.logs()).toMatch(/MESHPLANE_ADMIN_API_KEY is ignored/);
    expect(again.logs()).not.toContain(other);
    expect(await again.stop()).toBe(0);
  });
});
