/**
 * Every request's work is bounded (issue 10, finding 2). The attack: a flow whose SQL
 * references 40,000 tables, then a re-PUT with a ~900 KB source, kept PostgreSQL busy
 * for minutes and wrote tens of GB of temporary files (put-flow.sql's DELETE of the
 * old table refs hashed 40,000 copies of the new source). Here, on a real server and
 * its embedded PostgreSQL: the pathological flow is refused at once with the limit
 * named; at the limits (1,000 table refs, a 512 KiB source) a PUT and a re-PUT answer in
 * seconds and write next to no temporary files; a statement past statement_timeout is
 * cancelled by PostgreSQL on both pools and answers 503.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTransientDatabaseError } from "../src/db/errors.ts";
import { openDatabase } from "../src/db/prisma.ts";
import { FLOW_LIMITS } from "../src/flows/flow-limits.ts";
import { ApiClient } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

/** The URL of a test server's embedded PostgreSQL (its port is in postmaster.pid, line 4). */
function embeddedUrl(server: TestServer): string {
  const port = Number(readFileSync(join(server.dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]);
  const password = readFileSync(join(server.dataDir, "postgres.password"), "utf8").trim();
  return `postgresql://meshplane:${encodeURIComponent(password)}@127.0.0.1:${port}/meshplane`;
}

/** A flow with one sql.query task reading `tables` tables, padded with a SQL comment to `bytes` (UTF-8). */
function sqlFlow(id: string, tables: number, bytes = 0, padding = "x"): string {
  const from = Array.from({ length: tables }, (_, i) => `d.t${i}`).join(", ");
  const head = `id: ${id}\nnamespace: big\ntasks:\n  - id: q\n    type: sql.query\n    sql: |\n      SELECT 1 FROM ${from}\n`;
  const comment = "      -- ";
  const fill = Math.floor((bytes - Buffer.byteLength(head) - comment.length - 1) / Buffer.byteLength(padding));
  return fill > 0 ? `${head}${comment}${padding.repeat(fill)}\n` : head;
}

/** The flow-graph lock a flow write with edges takes (flow-repository.ts), as pg_advisory_lock's two keys. */
const FLOW_GRAPH_LOCK = "1836346992, 1";
/** A flow with one trigger: its write waits for FLOW_GRAPH_LOCK. */
const waitingFlow = (namespace: string, id: string) =>
  `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - { id: l, type: core.log, message: hi }\ntriggers:\n  - id: after\n    type: flow\n    upstream:\n      - { namespace: ${namespace}, flowId: up }\n`;

/** Generous for a loaded 2-core machine shared with other test runs; the bug took minutes. */
const QUICK_MS = 10_000;

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const result = await f();
  return [result, performance.now() - t];
}

describe("bounded requests", () => {
  let server: TestServer;
  let admin: ApiClient;
  let db: pg.Pool;

  /** PostgreSQL's count of temporary-file bytes written in the database, once the backends have reported (≤ 1 s after a statement). */
  async function tempBytes(): Promise<number> {
    await new Promise((r) => setTimeout(r, 1_500));
    return Number((await db.query("SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")).rows[0].temp_bytes);
  }

  beforeAll(async () => {
    server = await startServer({ env: { MESHPLANE_RATE_LIMIT_PER_MINUTE: "1000000" } });
    admin = new ApiClient(server.api, server.adminKey);
    expect((await admin.post("/teams", { name: "big" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "big", ownerTeam: "big" })).status).toBe(201);
    db = new pg.Pool({ connectionString: embeddedUrl(server), max: 2 });
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await server?.stop();
  });

  it("refuses the 40,000-table flow at once with 422 naming the limit, and validate reports the same words", async () => {
    const source = sqlFlow("pathological", 40_000);
    expect(Buffer.byteLength(source)).toBeLessThan(FLOW_LIMITS.sourceBytes);
    const [put, ms] = await timed(() => admin.put("/flows/big/pathological", source));
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(422);
    expect(put.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(put.body.detail).toBe("the flow has 40,000 table references (distinct tables read, and written, by its sql.query tasks); a flow may have at most 1,000 (the table reference limit): split it into several flows");
    expect(ms).toBeLessThan(QUICK_MS);
    expect((await admin.get("/flows/big/pathological")).status).toBe(404);

    const report = await admin.post("/flows/validate", source);
    expect(report.status).toBe(200);
    expect(report.body).toEqual({ valid: false, problems: [{ kind: "schema", severity: "error", message: put.body.detail, pointer: "/tasks" }] });
  });

  it("refuses the ~900 KB re-PUT with 413 naming the size limit, what was sent and what is allowed", async () => {
    const source = sqlFlow("pathological", 40_000, 900_000);
    const [put, ms] = await timed(() => admin.put("/flows/big/pathological", source));
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(413);
    expect(put.body.type).toBe("urn:meshplane:problem:payload-too-large");
    expect(put.body.detail).toContain("the flow source is 900,000 bytes; a flow's source may have at most 524,288 bytes (512 KiB, the flow source size limit)");
    expect(ms).toBeLessThan(QUICK_MS);
    // Counted in UTF-8 bytes, not characters: 200,000 three-byte characters are 600,000 bytes.
    const euros = sqlFlow("pathological", 1, 600_000, "€");
    expect(euros.length).toBeLessThan(FLOW_LIMITS.sourceBytes);
    const wide = await admin.put("/flows/big/pathological", euros);
    expect(wide.status).toBe(413);
    expect(wide.body.detail).toMatch(new RegExp(`^the flow source is ${Buffer.byteLength(euros).toLocaleString("en-US")} bytes`));

    const report = await admin.post("/flows/validate", source);
    expect(report.body.valid).toBe(false);
    expect(report.body.problems.map((p: { message: string }) => p.message)).toEqual([put.body.detail]);
  });

  it("at the limits (1,000 table refs, a 512 KiB source), a PUT and a re-PUT answer in seconds and write next to no temporary files", async () => {
    const first = sqlFlow("at-limit", FLOW_LIMITS.tableReferences, FLOW_LIMITS.sourceBytes, "a");
    const second = sqlFlow("at-limit", FLOW_LIMITS.tableReferences, FLOW_LIMITS.sourceBytes, "b");
    expect(Buffer.byteLength(second)).toBe(FLOW_LIMITS.sourceBytes);
    expect((await admin.post("/flows/validate", first)).body).toEqual({ valid: true, problems: [] });

    const before = await tempBytes();
    const [created, createMs] = await timed(() => admin.put("/flows/big/at-limit", first));
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    const [updated, updateMs] = await timed(() => admin.put("/flows/big/at-limit", second));
    expect(updated.status, JSON.stringify(updated.body).slice(0, 300)).toBe(200);
    expect(updated.body.revision).toBe(2);
    const written = (await tempBytes()) - before;
    console.log(`at the limits: PUT ${createMs.toFixed(0)} ms, re-PUT ${updateMs.toFixed(0)} ms, ${written} bytes of temporary files`);
    expect(createMs).toBeLessThan(QUICK_MS);
    expect(updateMs).toBeLessThan(QUICK_MS);
    // Before the fix the re-PUT alone wrote ~1,000 × 512 KiB (every old ref carried the new source).
    expect(written).toBeLessThan(16 * 1024 * 1024);
    const refs = await db.query("SELECT count(*)::int AS n FROM flow_table_refs r JOIN flows f ON f.id = r.flow_pk WHERE f.namespace = 'big' AND f.flow_id = 'at-limit'");
    expect(refs.rows[0].n).toBe(FLOW_LIMITS.tableReferences);
    // One more table is one too many.
    const over = await admin.put("/flows/big/at-limit", sqlFlow("at-limit", FLOW_LIMITS.tableReferences + 1));
    expect(over.status).toBe(422);
    expect(over.body.detail).toContain("1,001 table references");
  }, 60_000);

  it("refuses more tasks or flow references than the limits, before any database work, and validate says the same", async () => {
    // core.parallel holds 1,000 tasks per list (the schema); nesting must not get around the total.
    const logs = (p: string, n: number) => Array.from({ length: n }, (_, i) => `      - { id: ${p}l${i}, type: core.log, message: hi }\n`).join("");
    const parallels = (n: number) => `id: tasks\nnamespace: big\ntasks:\n  - id: p1\n    type: core.parallel\n    tasks:\n${logs("a", n)}  - id: p2\n    type: core.parallel\n    tasks:\n${logs("b", n)}`;
    const manyTasks = parallels(600);
    // Two triggers of 100 upstreams (the schema's maximum per trigger) and one subflow call: 201.
    const upstream = (t: number) => Array.from({ length: 100 }, (_, i) => `      - { namespace: big, flowId: up${t}x${i} }\n`).join("");
    const trigger = (t: number) => `  - id: after${t}\n    type: flow\n    upstream:\n${upstream(t)}`;
    const manyRefs = `id: refs\nnamespace: big\ntasks:\n  - { id: s, type: core.subflow, namespace: big, flowId: sub }\ntriggers:\n${trigger(0)}${trigger(1)}`;
    // A namespace that does not exist would be a 404 after a database read: the limit comes first.
    for (const [source, words] of [
      [manyTasks, "the flow has 1,202 tasks (counting those inside core.parallel and core.foreach); a flow may have at most 1,000 (the task limit)"],
      [manyRefs, "the flow has 201 flow references (trigger upstreams and core.subflow calls); a flow may have at most 200 (the flow reference limit)"],
    ] as const) {
      for (const namespace of ["big", "no.such.namespace"]) {
        const text = source.replace("namespace: big\n", `namespace: ${namespace}\n`);
        const id = text.startsWith("id: tasks") ? "tasks" : "refs";
        const put = await admin.put(`/flows/${namespace}/${id}`, text);
        expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(422);
        expect(put.body.detail).toContain(words);
        expect(put.body.errors).toEqual([expect.objectContaining({ message: put.body.detail })]);
        const report = await admin.post("/flows/validate", text);
        expect(report.body.valid).toBe(false);
        expect(report.body.problems.map((p: { message: string }) => p.message)).toEqual([put.body.detail]);
      }
    }
    expect((await admin.get("/flows/big/tasks")).status).toBe(404);
    expect((await admin.get("/flows/big/refs")).status).toBe(404);

    // At the limits, accepted in seconds: 2 parallels of 499 tasks; 2 × 100 trigger upstreams (no subflow call).
    const atLimit = [
      ["tasks", parallels(499)],
      ["refs", manyRefs.replace("  - { id: s, type: core.subflow, namespace: big, flowId: sub }", "  - { id: s, type: core.log, message: hi }")],
    ] as const;
    for (const [id, text] of atLimit) {
      const [put, ms] = await timed(() => admin.put(`/flows/big/${id}`, text));
      expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(201);
      expect(ms).toBeLessThan(QUICK_MS);
    }
    const edges = await admin.get("/flows/big/refs/dependencies?direction=up");
    expect(edges.body.edges).toHaveLength(FLOW_LIMITS.flowReferences);
  }, 60_000);

  it("sets statement_timeout on every session of both pools: PostgreSQL cancels a long statement, a transient error", async () => {
    const database = openDatabase(embeddedUrl(server), { statementTimeoutMs: 1_500, prismaPoolSize: 1, flowPoolSize: 1 });
    try {
      expect(await database.prisma.$queryRawUnsafe("SHOW statement_timeout")).toEqual([{ statement_timeout: "1500ms" }]);
      expect((await database.flowPool.query("SHOW statement_timeout")).rows).toEqual([{ statement_timeout: "1500ms" }]);
      const sleeps = {
        prisma: () => database.prisma.$queryRawUnsafe("SELECT pg_sleep(20)"),
        "prisma transaction": () => database.prisma.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT pg_sleep(20)"), { timeout: 30_000 }),
        "flow pool": () => database.flowPool.query("SELECT pg_sleep(20)"),
      };
      for (const [pool, sleep] of Object.entries(sleeps)) {
        const [error, ms] = await timed(() => sleep().then(() => undefined, (e: unknown) => e));
        expect(error, pool).toBeDefined();
        expect(String((error as Error).message), pool).toMatch(/statement timeout/);
        expect(isTransientDatabaseError(error), pool).toBe(true);
        expect(ms, pool).toBeLessThan(QUICK_MS);
      }
    } finally {
      await database.close();
    }
    const defaults = openDatabase(embeddedUrl(server), { prismaPoolSize: 1, flowPoolSize: 1 });
    try {
      expect(await defaults.prisma.$queryRawUnsafe("SHOW statement_timeout")).toEqual([{ statement_timeout: "30s" }]);
      expect((await defaults.flowPool.query("SHOW statement_timeout")).rows).toEqual([{ statement_timeout: "30s" }]);
    } finally {
      await defaults.close();
    }
  }, 60_000);
});

describe("a statement past MESHPLANE_STATEMENT_TIMEOUT_MS", () => {
  let server: TestServer;
  let admin: ApiClient;
  let db: pg.Pool;

  beforeAll(async () => {
    server = await startServer({ env: { MESHPLANE_STATEMENT_TIMEOUT_MS: "1000" } });
    admin = new ApiClient(server.api, server.adminKey);
    expect((await admin.post("/teams", { name: "slow" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "slow", ownerTeam: "slow" })).status).toBe(201);
    db = new pg.Pool({ connectionString: embeddedUrl(server), max: 2 });
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await server?.stop();
  });

  it("is cancelled by PostgreSQL and answers 503 problem+json with Retry-After, changing nothing, and no backend keeps running", async () => {
    // A flow write with an edge waits for the flow-graph lock (flow-repository.ts); hold it.
    const holder = await db.connect();
    let release: NodeJS.Timeout | undefined;
    try {
      await holder.query(`SELECT pg_advisory_lock(${FLOW_GRAPH_LOCK})`);
      // Without a statement_timeout the PUT would wait for ever: let go after 15 s, so that it fails as a 201.
      release = setTimeout(() => void holder.query("SELECT pg_advisory_unlock_all()"), 15_000);
      const [put, ms] = await timed(() => admin.put("/flows/slow/waits", waitingFlow("slow", "waits")));
      expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(503);
      expect(put.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(put.headers.get("retry-after")).toBe("1");
      expect(put.body).toMatchObject({ type: "urn:meshplane:problem:unavailable", status: 503 });
      expect(put.body.detail).toMatch(/did not answer in time/);
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(QUICK_MS);
      const waiting = await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%pg_advisory_xact_lock%' AND pid <> pg_backend_pid() AND state = 'active'");
      expect(waiting.rows[0].n).toBe(0);
    } finally {
      clearTimeout(release);
      await holder.query("SELECT pg_advisory_unlock_all()");
      holder.release();
    }
    expect((await admin.get("/flows/slow/waits")).status).toBe(404);
    expect(server.stderr()).toMatch(/canceling statement due to statement timeout/);
    expect(server.stderr()).not.toMatch(/unhandled error/);
  }, 60_000);
});

describe("a control plane killed in the middle of a request", () => {
  it("leaves no backend running: the embedded PostgreSQL notices the client has gone long before statement_timeout (30 s)", async () => {
    const server = await startServer();
    const postmasterPid = Number(readFileSync(join(server.dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    const db = new pg.Pool({ connectionString: embeddedUrl(server), max: 2 });
    const holder = await db.connect();
    const waiting = async () =>
      (await db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'")).rows[0].n as number;
    try {
      const admin = new ApiClient(server.api, server.adminKey);
      expect((await admin.post("/teams", { name: "gone" })).status).toBe(201);
      expect((await admin.post("/namespaces", { name: "gone", ownerTeam: "gone" })).status).toBe(201);
      await holder.query(`SELECT pg_advisory_lock(${FLOW_GRAPH_LOCK})`);
      const put = admin.put("/flows/gone/waits", waitingFlow("gone", "waits")).catch((error: unknown) => error);
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await waiting(), "the PUT's backend waits for the lock").toBe(1);

      const exited = new Promise((r) => server.process.once("exit", r));
      server.process.kill("SIGKILL");
      await exited;
      await put;
      const t = performance.now();
      while ((await waiting()) > 0 && performance.now() - t < 25_000) await new Promise((r) => setTimeout(r, 200));
      const ms = performance.now() - t;
      expect(await waiting(), "a backend still works for a control plane that has gone").toBe(0);
      // client_connection_check_interval=5s; statement_timeout alone would take 30 s.
      expect(ms).toBeLessThan(15_000);
    } finally {
      await holder.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
      holder.release();
      await db.end();
      // Killed, the control plane could not stop its PostgreSQL: stop that one (fast shutdown), by its pid.
      try {
        process.kill(postmasterPid, "SIGINT");
        for (let i = 0; i < 100; i++) {
          process.kill(postmasterPid, 0);
          await new Promise((r) => setTimeout(r, 100));
        }
      } catch {
        /* gone */
      }
      await server.stop();
    }
  }, 120_000);
});
