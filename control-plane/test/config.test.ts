/**
 * Bad configuration fails fast with one clear line naming the variable (SPEC §5), and
 * never prints a secret's value. Each case runs a real `meshplane serve` process and
 * checks its exit code, its whole output, and that it left nothing behind: the data dir
 * is not even created for a bad variable, so nothing (PostgreSQL, a network wait) was
 * started before the refusal. No wall-clock bound: on a loaded 2-core machine 23 such
 * processes starting together took 15-30 s each.
 *
 * The cases run concurrently: each is a separate process, mostly waiting on start-up.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMeshplane } from "./support/server.ts";

const root = mkdtempSync(join(tmpdir(), "meshplane-config-"));
// As root, the embedded PostgreSQL runs as the OS user postgres: open `root` to it so the
// clusters stay in their data dirs (closed folders work too: test/root-data-dir.test.ts).
chmodSync(root, 0o711);
const asRoot = process.getuid?.() === 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));


interface Case {
  readonly variable: string;
  readonly value: string;
  /** Set for secrets: no 4-character piece of it may be printed. */
  readonly secret?: boolean;
  /** What the line must say besides the variable's name. */
  readonly says: RegExp;
}

const cases: Case[] = [
  { variable: "MESHPLANE_PORT", value: "abc", says: /whole number/ },
  { variable: "MESHPLANE_PORT", value: "70000", says: /between 0 and 65535/ },
  { variable: "MESHPLANE_PORT", value: "-1", says: /whole number/ },
  { variable: "MESHPLANE_DATABASE_URL", value: "mysql://Qz7xUser:Sup3rS3cr3tDbPassw0rd@db.Kq9example:3306/Xw4db", secret: true, says: /postgres:\/\// },
  { variable: "MESHPLANE_DATABASE_URL", value: "Zq8 nopeXw Passw0rdKq", secret: true, says: /postgres:\/\// },
  { variable: "MESHPLANE_ADMIN_API_KEY", value: "short", secret: true, says: /mp_/ },
  { variable: "MESHPLANE_ADMIN_API_KEY", value: "Hunter2Hunter2Hunter2Hunter2Hunter2Hunter2", secret: true, says: /mp_/ },
  { variable: "MESHPLANE_ADMIN_API_KEY", value: "mp_Has Spaces & !! Kq9Zx7Wv", secret: true, says: /mp_/ },
  { variable: "MESHPLANE_JWT_SECRET", value: "Too-Short-Jwt-Zq9Kx7", secret: true, says: /at least 32/ },
  { variable: "MESHPLANE_JWT_TTL_SECONDS", value: "0", says: /between 30 and 86400/ },
  { variable: "MESHPLANE_BODY_LIMIT_BYTES", value: "1MB", says: /whole number/ },
  { variable: "MESHPLANE_RATE_LIMIT_PER_MINUTE", value: "0", says: /between/ },
  { variable: "MESHPLANE_STATEMENT_TIMEOUT_MS", value: "500", says: /between 1000 and 3600000/ },
  { variable: "MESHPLANE_STATEMENT_TIMEOUT_MS", value: "30s", says: /whole number/ },
  { variable: "MESHPLANE_WORKER_CONCURRENCY", value: "-1", says: /whole number/ },
  { variable: "MESHPLANE_WORKER_CONCURRENCY", value: "1001", says: /between 0 and 1000/ },
  { variable: "MESHPLANE_LOG_LEVEL", value: "verbose", says: /info/ },
  { variable: "MESHPLANE_WORKER_LEASE_MS", value: "500", says: /between 1000 and 3600000/ },
  { variable: "MESHPLANE_WORKER_HEARTBEAT_MS", value: "20000", says: /at most half of MESHPLANE_WORKER_LEASE_MS \(30000\)/ },
  { variable: "MESHPLANE_SHUTDOWN_GRACE_MS", value: "10s", says: /whole number/ },
  { variable: "MESHPLANE_RETENTION_DAYS", value: "0", says: /between 1 and 36500/ },
  { variable: "MESHPLANE_RETENTION_INTERVAL_MS", value: "100", says: /between 1000 and 86400000/ },
  { variable: "MESHPLANE_OIDC_ISSUERS", value: "http://ci.example.com", says: /https \(http only on 127\.0\.0\.1, localhost or \[::1\]\)/ },
  { variable: "MESHPLANE_OIDC_ISSUERS", value: "https://token.actions.githubusercontent.com,nope", says: /"nope" is not a URL/ },
  { variable: "MESHPLANE_OIDC_JWKS_COOLDOWN_SECONDS", value: "1h", says: /whole number/ },
];

function expectOneLine(run: { code: number | null; stdout: string; stderr: string; ms: number }, variable: string) {
  const output = `${run.stdout}${run.stderr}`;
  const lines = output.split("\n").filter((l) => l.trim() !== "");
  expect(run.code, output).toBe(1);
  expect(lines, output).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^meshplane: ${variable}: `));
  expect(output).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  return lines[0]!;
}

/** No 4-character piece of `secret` is printed (the secrets below are chosen so that none occurs in the message itself). */
function expectNoPieceOf(secret: string, output: string) {
  for (let i = 0; i + 4 <= secret.length; i++) {
    const piece = secret.slice(i, i + 4);
    expect(output.includes(piece), `"${piece}" of the secret value is printed: ${output}`).toBe(false);
  }
}

describe("bad variables: exit 1 at once, one line naming the variable", () => {
  it.concurrent.each(cases.map((c) => [`${c.variable}=${c.secret ? "<secret>" : c.value}`, c] as const))("%s", async (_name, c) => {
    const dataDir = join(root, `never-created-${Math.random().toString(36).slice(2)}`);
    const run = await runMeshplane({ dataDir, env: { [c.variable]: c.value } });
    const line = expectOneLine(run, c.variable);
    expect(line).toMatch(c.says);
    // Not even the first characters of a secret (a short or mistyped one would be half given away); a URL's scheme may show.
    if (c.secret) {
      expectNoPieceOf(c.value.replace(/^mysql:\/\//, "").replace(/^mp_/, ""), `${run.stdout}${run.stderr}`);
      if (!c.value.startsWith("mp_") && !c.value.startsWith("mysql")) expect(line).not.toContain(c.value.slice(0, 3));
      expect(line).toMatch(new RegExp(`hidden, ${c.value.length} characters`));
    }
    else expect(line).toContain(JSON.stringify(c.value));
    expect(existsSync(dataDir), "a bad configuration must not create the data dir").toBe(false);
  });
});

describe("configuration the process can only check by trying", () => {
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", () => r()));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it.concurrent("an unreachable external PostgreSQL: one line naming MESHPLANE_DATABASE_URL, password not printed", async () => {
    const password = "Unl1kelyPassw0rdValue";
    const run = await runMeshplane({ dataDir: join(root, "unreachable"), env: { MESHPLANE_DATABASE_URL: `postgres://meshplane:${password}@127.0.0.1:1/meshplane` } });
    const line = expectOneLine(run, "MESHPLANE_DATABASE_URL");
    expect(line).toMatch(/127\.0\.0\.1:1\/meshplane: connection refused/);
    expectNoPieceOf(password, `${run.stdout}${run.stderr}`);
  });

  it.concurrent("a data dir that cannot be created: one line naming MESHPLANE_DATA_DIR", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "not a folder");
    const run = await runMeshplane({ env: { MESHPLANE_DATA_DIR: join(file, "data") } });
    expect(expectOneLine(run, "MESHPLANE_DATA_DIR")).toMatch(/cannot create .*a-file\/data/);
  });

  it.concurrent("a port already in use: one line naming MESHPLANE_PORT, and the embedded PostgreSQL is stopped again", async () => {
    const dataDir = join(root, "port-in-use");
    const run = await runMeshplane({ dataDir, env: { MESHPLANE_PORT: String(busyPort) }, timeoutMs: 60_000 });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.code, output).toBe(1);
    const lines = output.split("\n").filter((l) => l.trim() !== "");
    expect(lines, output).toEqual([`meshplane: MESHPLANE_PORT: 127.0.0.1:${busyPort} is already in use; choose another port`]);
    // It got as far as starting the database; failing must not leave it running or locked.
    expect(existsSync(join(dataDir, "meshplane.lock"))).toBe(false);
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  });

  // As root a data dir PostgreSQL's OS user cannot enter works (test/root-data-dir.test.ts);
  // what it cannot recover from is a data dir whose cluster there is gone.
  it.concurrent("a data dir whose record names a PostgreSQL cluster that is gone: one line naming MESHPLANE_DATA_DIR, nothing started", async () => {
    const dataDir = join(root, "cluster-gone");
    mkdirSync(dataDir, { mode: 0o700 });
    const id = "00000000-0000-4000-8000-00000000dead";
    writeFileSync(join(dataDir, "postgres-cluster"), `${id}\n`);
    const run = await runMeshplane({ dataDir });
    const line = expectOneLine(run, "MESHPLANE_DATA_DIR");
    if (asRoot) expect(line).toContain(`names the PostgreSQL cluster /var/lib/meshplane-postgres/clusters/${id}, which is gone`);
    else expect(line).toContain("was set up by root");
    expect(line).toContain(`delete ${dataDir}`);
    expect(existsSync(join(dataDir, "meshplane.lock"))).toBe(false);
    expect(existsSync(join(dataDir, "postgres"))).toBe(false);
  });

  it.concurrent("a data dir whose cluster record is not an id: one line naming MESHPLANE_DATA_DIR", async () => {
    const dataDir = join(root, "cluster-garbled");
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(join(dataDir, "postgres-cluster"), "../../etc\n");
    const line = expectOneLine(await runMeshplane({ dataDir }), "MESHPLANE_DATA_DIR");
    expect(line).toContain(`${join(dataDir, "postgres-cluster")} should hold the id of the data dir's PostgreSQL cluster`);
    expect(line).toContain('"../../etc"');
  });

  it.concurrent("an address that is not this machine's: one line naming MESHPLANE_HOST", async () => {
    const dataDir = join(root, "foreign-host");
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address.
    const run = await runMeshplane({ dataDir, env: { MESHPLANE_HOST: "192.0.2.1" }, timeoutMs: 60_000 });
    const lines = `${run.stdout}${run.stderr}`.split("\n").filter((l) => l.trim() !== "");
    expect(run.code, lines.join("\n")).toBe(1);
    expect(lines).toEqual(["meshplane: MESHPLANE_HOST: cannot listen on 192.0.2.1 (EADDRNOTAVAIL): not an address of this machine"]);
    expect(existsSync(join(dataDir, "meshplane.lock"))).toBe(false);
  });

  it.concurrent("an unknown command: usage on stderr, exit 2", async () => {
    const run = await runMeshplane({ args: ["serv"] });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "serv"/);
    expect(run.stderr).toMatch(/meshplane serve/);
  });
});
