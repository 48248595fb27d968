/**
 * As root (containers, CI runners) from a folder the OS user postgres cannot enter
 * (a checkout in /root, mode 0700): the embedded PostgreSQL runs as postgres, from
 * binaries and a cluster it can reach (src/db/postgres-as-root.ts, cluster-home.ts).
 * Real servers, real clusters under /var/lib/meshplane-postgres; every server this file
 * starts is stopped and every cluster it made is removed in afterAll, even after a
 * failure half-way.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLUSTER_RECORD, CLUSTERS, sweepOrphanClusters } from "../src/db/cluster-home.ts";
import { binariesRunnableBy, canEnter, POSTGRES_HOME, postgresOsUser } from "../src/db/postgres-as-root.ts";
import { packagedBinaries } from "../src/db/postgres-process.ts";
import { createLogger } from "../src/logger.ts";
import { ApiClient } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

const asRoot = process.getuid?.() === 0;
const started: TestServer[] = [];
const folders: string[] = [];
const clusters = new Set<string>();
const copies: string[] = [];

/** A fresh 0700 folder (what mkdtemp makes), as /root is: postgres cannot enter it. */
function closedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "meshplane-root0700-"));
  chmodSync(dir, 0o700);
  folders.push(dir);
  return dir;
}

async function serve(dataDir: string): Promise<TestServer> {
  const server = await startServer({ dataDir, keepDataDir: true });
  started.push(server);
  const id = recorded(dataDir);
  if (id) clusters.add(id);
  return server;
}

function recorded(dataDir: string): string | undefined {
  const file = join(dataDir, CLUSTER_RECORD);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

afterAll(async () => {
  await Promise.allSettled(started.map((s) => s.stop()));
  // Ids recorded by data dirs whose server failed before serve() saw them.
  for (const dir of folders) {
    const id = recorded(join(dir, "data"));
    if (id) clusters.add(id);
  }
  for (const id of clusters) rmSync(join(CLUSTERS, id), { recursive: true, force: true });
  for (const dir of [...folders, ...copies]) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(asRoot)("as root, a data dir inside a 0700 folder", () => {
  const user = asRoot ? postgresOsUser() : { uid: -1, gid: -1 };

  it("serves: the cluster lives in the cluster home, owned by postgres, and the data dir keeps its mode", async () => {
    const closed = closedFolder();
    expect(canEnter(user, closed), "precondition: postgres cannot enter the folder").toBe(false);
    const dataDir = join(closed, "data");
    const server = await serve(dataDir);
    const admin = new ApiClient(server.api, server.adminKey);
    expect((await admin.get("/whoami")).body).toMatchObject({ subject: "platform-admin", platformAdmin: true });

    const id = recorded(dataDir);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const pgdata = join(CLUSTERS, id!, "pgdata");
    expect(existsSync(join(pgdata, "PG_VERSION"))).toBe(true);
    expect(statSync(pgdata).uid).toBe(user.uid);
    expect(statSync(pgdata).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(CLUSTERS, id!, "data-dir"), "utf8").trim()).toBe(dataDir);
    // Nothing of the cluster in the data dir, and nothing opened up to reach it.
    expect(existsSync(join(dataDir, "postgres"))).toBe(false);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(closed).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, "admin.key")).mode & 0o777).toBe(0o600);
  });

  it("restarts on the same cluster: the data written before is still there", async () => {
    const dataDir = join(closedFolder(), "data");
    const first = await serve(dataDir);
    const admin = new ApiClient(first.api, first.adminKey);
    expect((await admin.post("/teams", { name: "kept-across-restarts", description: "written before the restart" })).status).toBe(201);
    const id = recorded(dataDir);
    expect(await first.stop()).toBe(0);
    expect(existsSync(join(CLUSTERS, id!, "pgdata", "postmaster.pid")), "PostgreSQL stopped with the server").toBe(false);

    const second = await serve(dataDir);
    expect(recorded(dataDir)).toBe(id);
    const again = new ApiClient(second.api, second.adminKey);
    expect(second.adminKey).toBe(first.adminKey);
    expect((await again.get("/teams/kept-across-restarts")).body).toMatchObject({ name: "kept-across-restarts", description: "written before the restart" });
  });

  it("sweeps the cluster of a deleted data dir at the next start, never one still in use", async () => {
    const goneDir = join(closedFolder(), "data");
    const liveDir = join(closedFolder(), "data");
    const gone = await serve(goneDir);
    const live = await serve(liveDir);
    const goneId = recorded(goneDir)!;
    const liveId = recorded(liveDir)!;

    // Deleted under its running server: the postmaster still uses the cluster, it stays.
    rmSync(goneDir, { recursive: true, force: true });
    expect(sweepOrphanClusters(createLogger("silent"))).not.toContain(goneId);
    expect(existsSync(join(CLUSTERS, goneId, "pgdata", "PG_VERSION"))).toBe(true);
    await gone.stop();

    // A new data dir's start sweeps it; the live one and the new one stay.
    const fresh = await serve(join(closedFolder(), "data"));
    expect(existsSync(join(CLUSTERS, goneId))).toBe(false);
    expect(existsSync(join(CLUSTERS, liveId, "pgdata", "PG_VERSION"))).toBe(true);
    expect(existsSync(join(CLUSTERS, recorded(fresh.dataDir)!, "pgdata", "PG_VERSION"))).toBe(true);
    expect((await new ApiClient(live.api, live.adminKey).get("/whoami")).status).toBe(200);
  });

  it("a data dir that recorded another cluster (deleted and made again) no longer keeps its old one", async () => {
    const dataDir = join(closedFolder(), "data");
    const first = await serve(dataDir);
    const oldId = recorded(dataDir)!;
    await first.stop();
    rmSync(dataDir, { recursive: true, force: true });
    const second = await serve(dataDir);
    const newId = recorded(dataDir)!;
    expect(newId).not.toBe(oldId);
    expect(existsSync(join(CLUSTERS, oldId))).toBe(false);
    // Started afresh: a new bootstrap key for a new database.
    expect(second.adminKey).not.toBe(first.adminKey);
  });

  it("binaries postgres cannot reach are copied once to the cluster home and run from there", () => {
    const packaged = packagedBinaries();
    // The packaged binaries as they sit in a checkout under /root: a copy inside a 0700 folder.
    const checkout = closedFolder();
    cpSync(packaged.dir, join(checkout, "native"), { recursive: true, verbatimSymlinks: true });
    const version = `test-${process.pid}-${Date.now()}`;
    const target = join(POSTGRES_HOME, `postgres-${version}`);
    copies.push(target);
    const binaries = binariesRunnableBy(user, { dir: join(checkout, "native"), version });
    expect(binaries.dir).toBe(target);
    expect(statSync(target).uid).toBe(0);
    expect(statSync(target).mode & 0o777).toBe(0o755);
    const run = spawnSync(join(target, "bin", "postgres"), ["--version"], { uid: user.uid, gid: user.gid, cwd: "/", encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^postgres \(PostgreSQL\) 17\./);
    // Once: a second call reuses the copy (the marker inside it survives).
    const marker = join(target, "share", "copied-once");
    mkdirSync(marker);
    expect(binariesRunnableBy(user, { dir: join(checkout, "native"), version }).dir).toBe(target);
    expect(existsSync(marker)).toBe(true);
    // Reachable binaries (this checkout's, when it is outside a closed home) are used in place.
    if (canEnter(user, join(packaged.dir, "bin"))) expect(binariesRunnableBy(user, packaged).dir).toBe(packaged.dir);
  });
});
