/**
 * The 3 AM burst (issue 11 "Measure it"): a real `meshplane serve` (API, executor and
 * workers in one process) on its embedded PostgreSQL; one flow of 12 task runs
 * (core.log, a core.parallel of 3, a core.foreach of 5 values, core.log); N executions
 * (default 3,000: ~36,000 task runs) started together by concurrent API POSTs. Measured:
 * the time until every execution has ended, task runs per second, peak memory of the
 * server process and of PostgreSQL, CPU per task run of each; beside it, the floor: the
 * same rows inserted, claimed and completed by plain batched SQL on the same PostgreSQL.
 * During the burst, GET one execution and a list page are sampled (client- and
 * server-side), and the latency of a cross-team flow trigger (burst-triggers.ts). Then a
 * namespace holding 1,000,000 task runs (seeded by SQL) is listed.
 *
 *   npm run bench -w @meshplane/control-plane -- burst [--executions N] [--task-runs N] [--skip-list]
 *
 * Targets: drained in ≤ 45 s, server peak RSS ≤ 1 GiB; GET one and a list page p99 ≤
 * 100 ms server-side during the burst; trigger latency p50 ≤ 50 ms, p99 ≤ 500 ms; a page of the 1,000,000-task-run namespace p99 ≤ 50 ms.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { ApiClient, makeServiceAccount } from "../test/support/client.ts";
import { startServer, type TestServer } from "../test/support/server.ts";
import { runFloor } from "./burst-floor.ts";
import { setupTriggerChain, startTriggerProbe, triggerLatencies } from "./burst-triggers.ts";
import { HttpPool, percentile } from "./http-pool.ts";
import { sampleCpu, type CpuSplit } from "./process-cpu.ts";
import { sampleMemory } from "./process-memory.ts";
import { percentileBetween, scrapeHistogram } from "./server-latency.ts";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} ${raw}: give a positive whole number`);
  return n;
}

const EXECUTIONS = option("executions", 3_000);
const BIG_TASK_RUNS = option("task-runs", 1_000_000);
const CONNECTIONS = option("connections", 100);
// The server's task slots (MESHPLANE_WORKER_CONCURRENCY; the default is 8). core.log takes
// no time, so each slot's cycle is a claim and a completion: throughput is slots / round trip.
const WORKER_CONCURRENCY = option("worker-concurrency", 32);
const SKIP_LIST = process.argv.includes("--skip-list");
const RUNS_PER_EXECUTION = 12;
const NS = "bench.burst";
const BIG_NS = "bench.history";

// 12 task runs: start, fan (flowable) + 3 branches, each (flowable) + 5 values, done.
const FLOW = `id: nightly
namespace: ${NS}
description: the 3 AM burst's flow
tasks:
  - { id: start, type: core.log, message: "start {{ execution.id }}" }
  - id: fan
    type: core.parallel
    tasks:
      - { id: orders, type: core.log, message: orders }
      - { id: stock, type: core.log, message: stock }
      - { id: prices, type: core.log, message: prices }
  - id: each
    type: core.foreach
    values: [north, south, east, west, central]
    tasks:
      - { id: store, type: core.log, message: "store {{ taskrun.value }}" }
  - { id: done, type: core.log, message: done }
`;

interface Line {
  what: string;
  measured: string;
  floor: string;
  ratio: string;
  target: string;
  ok: boolean | null;
}

/** The embedded PostgreSQL of a test server's data dir (port from postmaster.pid). */
function databaseUrlOf(server: TestServer): string {
  const password = readFileSync(join(server.dataDir, "postgres.password"), "utf8").trim();
  const port = readFileSync(join(server.dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]!.trim();
  return `postgresql://meshplane:${encodeURIComponent(password)}@127.0.0.1:${port}/meshplane`;
}

const GET_ROUTE = "/api/v1/executions/:id";
const LIST_ROUTE = "/api/v1/executions";

async function main(): Promise<void> {
  // BENCH_SERVER_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server only.
  const nodeOptions = process.env["BENCH_SERVER_NODE_OPTIONS"];
  const server = await startServer({
    env: {
      MESHPLANE_RATE_LIMIT_PER_MINUTE: "10000000",
      MESHPLANE_LOG_LEVEL: "error",
      MESHPLANE_WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    },
  });
  const lines: Line[] = [];
  try {
    const admin = new ApiClient(server.api, server.adminKey);
    await admin.post("/teams", { name: "bench" });
    for (const ns of ["bench", NS, BIG_NS]) await admin.post("/namespaces", { name: ns, ownerTeam: "bench" });
    const key = await makeServiceAccount(admin, "nightly-robot", "bench", [{ role: "executor", namespace: "bench" }]);
    const put = await admin.put(`/flows/${NS}/nightly`, FLOW);
    if (put.status !== 201) throw new Error(`flow: ${put.status} ${JSON.stringify(put.body)}`);
    await setupTriggerChain(admin);
    const databaseUrl = databaseUrlOf(server);
    // For a look from outside while it runs (pg_stat_activity): BENCH_URL_FILE=/some/file.
    if (process.env["BENCH_URL_FILE"]) writeFileSync(process.env["BENCH_URL_FILE"], databaseUrl, { mode: 0o600 });
    const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const pid = server.process.pid!;

    try {
      // The floor first, on the same PostgreSQL, before the burst's rows exist.
      const floor = await runFloor(databaseUrl, { executions: EXECUTIONS, runsPerExecution: RUNS_PER_EXECUTION });
      process.stderr.write(`bench: floor: ${floor.rows} rows in ${floor.seconds.toFixed(1)} s\n`);

      const burst = await runBurst(server, key, db, pid);
      const drainOk = EXECUTIONS < 3_000 ? null : burst.seconds <= 45;
      lines.push({
        what: `burst: ${EXECUTIONS} executions × ${RUNS_PER_EXECUTION} task runs, POSTed together → all ended`,
        measured: `${burst.seconds.toFixed(1)} s (${burst.failed} not SUCCESS)`,
        floor: `${floor.seconds.toFixed(1)} s`,
        ratio: `${(burst.seconds / floor.seconds).toFixed(2)}×`,
        target: "≤ 45 s at 3,000",
        ok: drainOk === null ? null : drainOk && burst.failed === 0,
      });
      lines.push({
        what: "burst: task runs per second",
        measured: `${Math.round(burst.taskRuns / burst.seconds)}/s`,
        floor: `${Math.round(floor.rows / floor.seconds)}/s`,
        ratio: `${(floor.rows / floor.seconds / (burst.taskRuns / burst.seconds)).toFixed(2)}×`,
        target: "-",
        ok: null,
      });
      lines.push({ what: "burst: all POSTs answered 201", measured: `${burst.acceptedSeconds.toFixed(1)} s (${burst.refused} refused)`, floor: "-", ratio: "-", target: "-", ok: burst.refused === 0 ? null : false });
      lines.push({
        what: "burst: peak RSS, server process (VmHWM)",
        measured: mib(burst.memory.serverMiB),
        floor: "-",
        ratio: "-",
        target: "≤ 1 GiB",
        ok: burst.memory.serverMiB === null ? null : burst.memory.serverMiB <= 1024,
      });
      lines.push({ what: "burst: peak RSS, PostgreSQL (private sum + largest shared)", measured: mib(burst.memory.postgresMiB), floor: "-", ratio: "-", target: "-", ok: null });
      lines.push({ what: "burst: CPU ms per task run, server + PostgreSQL + bench", measured: cpuText(burst.cpu), floor: "-", ratio: "-", target: "-", ok: null });
      const triggers = await triggerLatencies(db, burst.lastEnd);
      const [tp50, tp99] = [percentile(triggers.ms, 0.5), percentile(triggers.ms, 0.99)];
      lines.push({
        what: `during the burst: trigger latency, upstream end → downstream created (cross-team, grant checked; ${triggers.ms.length} upstreams ended while it drained${triggers.missing ? `, ${triggers.missing} started nothing` : ""})`,
        measured: `p50 ${tp50.toFixed(0)} ms, p99 ${tp99.toFixed(0)} ms, max ${(triggers.ms.at(-1) ?? NaN).toFixed(0)} ms`,
        floor: "-",
        ratio: "-",
        target: "p50 ≤ 50 ms, p99 ≤ 500 ms",
        ok: triggers.ms.length > 0 && triggers.missing === 0 && tp50 <= 50 && tp99 <= 500,
      });
      for (const probe of burst.probes) {
        lines.push({
          what: `during the burst: ${probe.name} (${probe.count} requests)`,
          measured: `server p99 ≤ ${probe.serverP99} ms; client p50 ${probe.clientP50.toFixed(0)}, p99 ${probe.clientP99.toFixed(0)} ms`,
          floor: "-",
          ratio: "-",
          target: "server p99 ≤ 100 ms",
          ok: probe.serverP99 <= 100,
        });
      }
      if (!SKIP_LIST) lines.push(...(await listBigNamespace(server, key, db)));
    } finally {
      await db.end();
    }
    printTable(lines);
    if (lines.some((l) => l.ok === false)) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

interface Probe {
  name: string;
  count: number;
  serverP99: number;
  clientP50: number;
  clientP99: number;
}

async function runBurst(server: TestServer, key: string, db: pg.Pool, pid: number) {
  const client = new HttpPool(server.api, key, CONNECTIONS);
  const probeClient = new HttpPool(server.api, key, 2);
  const metrics = `${server.url}/metrics`;
  const [getBefore, listBefore] = await Promise.all([scrapeHistogram(metrics, GET_ROUTE, "GET"), scrapeHistogram(metrics, LIST_ROUTE, "GET")]);
  const memory = sampleMemory(pid);
  const cpuBefore = sampleCpu(pid);
  const started = performance.now();
  const ids: string[] = [];
  let refused = 0;
  let acceptedSeconds = NaN;
  const posts = Promise.all(
    Array.from({ length: EXECUTIONS }, () =>
      client.request("POST", `/executions/${NS}/nightly`, { labels: { slot: "03:00" } }).then((a) => {
        if (a.status === 201) ids.push(a.body.id);
        else if (refused++ === 0) process.stderr.write(`bench: a POST answered ${a.status}: ${JSON.stringify(a.body)}\n`);
      }),
    ),
  ).then(() => (acceptedSeconds = (performance.now() - started) / 1000));

  // Probes: one GET of an execution and one list page at a time each, until the drain ends.
  let draining = true;
  const getMs: number[] = [];
  const listMs: number[] = [];
  const probe = async (into: number[], path: () => string | undefined) => {
    while (draining) {
      const p = path();
      if (!p) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const a = await probeClient.request("GET", p);
      if (a.status === 200) into.push(a.ms);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const adminClient = new HttpPool(server.api, server.adminKey, 2);
  const triggerProbe = startTriggerProbe(adminClient);
  const probes = Promise.all([
    probe(getMs, () => (ids.length ? `/executions/${ids[Math.floor(Math.random() * ids.length)]}` : undefined)),
    probe(listMs, () => `/executions?namespace=${NS}&limit=100`),
  ]);

  let ended = 0;
  while (ended < EXECUTIONS) {
    await new Promise((r) => setTimeout(r, 200));
    ended = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM executions WHERE namespace = $1 AND ended_at IS NOT NULL", [NS])).rows[0]!.n;
    if (performance.now() - started > 600_000) throw new Error(`the burst did not drain in 10 minutes: ${ended} of ${EXECUTIONS} ended`);
  }
  const seconds = (performance.now() - started) / 1000;
  await posts;
  draining = false;
  await probes;
  await triggerProbe.stop();
  adminClient.close();
  const lastEnd = (await db.query<{ at: Date }>("SELECT max(ended_at) AS at FROM executions WHERE namespace = $1", [NS])).rows[0]!.at;
  const cpuAfter = sampleCpu(pid);
  const peaks = memory.stop();
  const [getAfter, listAfter] = await Promise.all([scrapeHistogram(metrics, GET_ROUTE, "GET"), scrapeHistogram(metrics, LIST_ROUTE, "GET")]);
  const counts = (
    await db.query<{ runs: number; failed: number }>(
      `SELECT (SELECT count(*) FROM task_runs t JOIN executions e ON e.id = t.execution_id WHERE e.namespace = $1)::int AS runs,
              (SELECT count(*) FROM executions WHERE namespace = $1 AND state <> 'SUCCESS')::int AS failed`,
      [NS],
    )
  ).rows[0]!;
  client.close();
  probeClient.close();
  const probeOf = (name: string, ms: number[], before: Map<number, number>, after: Map<number, number>): Probe => ({
    name,
    count: ms.length,
    serverP99: percentileBetween(before, after, 0.99),
    clientP50: percentile(ms, 0.5),
    clientP99: percentile(ms, 0.99),
  });
  return {
    seconds,
    lastEnd,
    acceptedSeconds,
    refused,
    failed: counts.failed,
    taskRuns: counts.runs,
    memory: peaks,
    cpu: perRun(cpuBefore, cpuAfter, counts.runs),
    probes: [probeOf("GET /executions/{id}", getMs, getBefore, getAfter), probeOf(`GET /executions?namespace=${NS}&limit=100`, listMs, listBefore, listAfter)],
  };
}

function perRun(before: CpuSplit | null, after: CpuSplit | null, runs: number): CpuSplit | null {
  if (!before || !after || runs === 0) return null;
  const ms = (a: number, b: number) => ((a - b) * 1000) / runs;
  return { api: ms(after.api, before.api), postgres: ms(after.postgres, before.postgres), loadGenerator: ms(after.loadGenerator, before.loadGenerator) };
}

/**
 * A namespace holding BIG_TASK_RUNS task runs (12 per execution), seeded by SQL, then its
 * executions listed page by page at random (10 connections, 5 s), like the API bench.
 */
async function listBigNamespace(server: TestServer, key: string, db: pg.Pool): Promise<Line[]> {
  const executions = Math.ceil(BIG_TASK_RUNS / RUNS_PER_EXECUTION);
  const seedStart = performance.now();
  const flow = (await db.query<{ id: string; revision: number }>("SELECT id, revision FROM flows WHERE namespace = $1 AND flow_id = 'nightly'", [NS])).rows[0]!;
  await db.query(
    `INSERT INTO executions (id, namespace, flow_id, flow_pk, flow_revision, state, trigger, created_at, started_at, ended_at)
     SELECT gen_random_uuid(), $1, 'nightly', $2::uuid, $3::int, 'SUCCESS', '{"type":"schedule"}',
            ts, ts, ts + interval '20 seconds'
     FROM (SELECT CURRENT_TIMESTAMP - interval '30 days' + g * interval '30 seconds' AS ts FROM generate_series(1, $4::int) g) s`,
    [BIG_NS, flow.id, flow.revision, executions],
  );
  await db.query(
    `INSERT INTO task_runs (id, execution_id, task_id, path, attempt, state, created_at, started_at, ended_at)
     SELECT gen_random_uuid(), e.id, 't' || k, 't' || k, 1, 'SUCCESS', e.created_at, e.started_at, e.ended_at
     FROM executions e CROSS JOIN generate_series(1, ${RUNS_PER_EXECUTION}) k WHERE e.namespace = $1`,
    [BIG_NS],
  );
  await db.query("ANALYZE executions");
  await db.query("ANALYZE task_runs");
  const seedSeconds = (performance.now() - seedStart) / 1000;
  process.stderr.write(`bench: seeded ${executions} executions, ${executions * RUNS_PER_EXECUTION} task runs in ${seedSeconds.toFixed(1)} s\n`);

  const dev = new ApiClient(server.api, key);
  const cursors: (string | null)[] = [null];
  for (let cursor: string | null = null; cursors.length < 200; ) {
    const page = await dev.get(`/executions?namespace=${BIG_NS}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    if (page.status !== 200) throw new Error(`list: ${page.status} ${JSON.stringify(page.body)}`);
    cursor = page.body.nextCursor;
    if (!cursor) break;
    cursors.push(cursor);
  }
  if (process.env["BENCH_EXPLAIN"]) {
    const c = await db.connect();
    await c.query("SET plan_cache_mode = force_generic_plan");
    const sql = readFileSync(new URL("../src/sql/executions/list-executions.sql", import.meta.url), "utf8");
    await c.query(`PREPARE l(text, text, text, timestamptz, uuid, int) AS ${sql}`);
    const last = (await c.query("SELECT created_at, id FROM executions WHERE namespace = $1 ORDER BY created_at DESC, id DESC OFFSET 15000 LIMIT 1", [BIG_NS])).rows[0];
    const plan = await c.query(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE l('${BIG_NS}', '', '', '${last.created_at.toISOString()}', '${last.id}', 101)`);
    process.stderr.write(plan.rows.map((r) => r["QUERY PLAN"]).join("\n") + "\n");
    c.release();
  }
  const metrics = `${server.url}/metrics`;
  const before = await scrapeHistogram(metrics, LIST_ROUTE, "GET");
  let p = 0;
  const result = await autocannon({
    url: server.api,
    connections: 10,
    duration: 5,
    requests: [
      {
        method: "GET",
        setupRequest: (req) => {
          const cursor = cursors[Math.floor(Math.random() * cursors.length)] ?? cursors[p++ % cursors.length];
          return { ...req, path: `/api/v1/executions?namespace=${BIG_NS}&limit=100${cursor ? `&cursor=${cursor}` : ""}`, headers: { authorization: `Bearer ${key}` } };
        },
      },
    ],
  });
  const after = await scrapeHistogram(metrics, LIST_ROUTE, "GET");
  const serverP99 = percentileBetween(before, after, 0.99);
  const bad = result.non2xx + result.errors + result.timeouts;
  return [
    {
      what: `a page of 100 executions in a namespace of ${(executions * RUNS_PER_EXECUTION).toLocaleString("en")} task runs (10 connections, ${result.requests.total} requests${bad ? `, ${bad} errors` : ""})`,
      measured: `server p99 ≤ ${serverP99} ms; client p99 ${result.latency.p99} ms, ${Math.round(result.requests.average)}/s`,
      floor: "-",
      ratio: "-",
      target: "p99 ≤ 50 ms",
      ok: bad === 0 && result.latency.p99 <= 50,
    },
  ];
}

const mib = (v: number | null) => (v === null ? "-" : `${Math.round(v)} MiB`);
const cpuText = (c: CpuSplit | null) => (c ? `${c.api.toFixed(2)} + ${c.postgres.toFixed(2)} + ${c.loadGenerator.toFixed(2)}` : "-");

function printTable(lines: Line[]): void {
  const header = ["what", "measured", "floor (same run)", "ratio", "target", "met"];
  const rows = lines.map((l) => [l.what, l.measured, l.floor, l.ratio, l.target, l.ok === null ? "-" : l.ok ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\nthe 3 AM burst: meshplane serve (API + executor + workers, MESHPLANE_WORKER_CONCURRENCY=${WORKER_CONCURRENCY}) on its embedded PostgreSQL, ${CONNECTIONS} client connections`);
  console.log("floor: the same task-run rows inserted, claimed (SKIP LOCKED) and completed by plain batched SQL on the same PostgreSQL\n");
  console.log(fmt(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(fmt(r));
}

await main();
