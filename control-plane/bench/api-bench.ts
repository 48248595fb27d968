/**
 * `npm run bench` (control plane): the API on the embedded PostgreSQL under 10 concurrent
 * connections, each scenario next to a baseline measured in the same run on the same
 * server (GET /healthz: a trivial express route, no auth, no database).
 *
 * Targets (issue 2): flow writes ≥ 800/s with p99 ≤ 25 ms; flow GET p99 ≤ 10 ms; a page
 * of a 10,000-flow namespace p99 ≤ 50 ms.
 */
import autocannon from "autocannon";
import { ApiClient, makeServiceAccount } from "../test/support/client.ts";
import { startServer } from "../test/support/server.ts";
import { perRequest, sampleCpu, type CpuSplit } from "./process-cpu.ts";
import { percentileBetween, scrapeHistogram } from "./server-latency.ts";

const CONNECTIONS = 10;
const DURATION_S = Number(process.env["BENCH_DURATION_S"] ?? 10);
const BIG_NAMESPACE_FLOWS = Number(process.env["BENCH_BIG_NAMESPACE_FLOWS"] ?? 10_000);

interface Row {
  scenario: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  serverP99: number;
  cpu: CpuSplit | null;
  errors: number;
  target: string;
  ok: boolean | null;
}

function flowYaml(namespace: string, id: string, note: string): string {
  return [
    `id: ${id}`,
    `namespace: ${namespace}`,
    `description: benchmark flow ${note}`,
    "labels: { owner: bench }",
    "tasks:",
    "  - id: load",
    "    type: sql.query",
    "    sql: SELECT order_id, amount FROM `retail_sales.orders_raw` WHERE day = CURRENT_DATE()",
    "    destinationTable: retail_sales.orders",
    "    writeDisposition: MODE_DELTA",
    "    keys: [order_id]",
    "triggers:",
    "  - { id: nightly, type: schedule, cron: \"0 3 * * *\", timezone: Europe/Paris }",
    "",
  ].join("\n");
}

type Measured = autocannon.Result & { serverP99: number; cpu: CpuSplit | null };

/** One scenario: autocannon's client-side figures, and the server's own p99 for `route`. */
async function run(name: string, serverPid: number, metricsUrl: string, route: [method: string, template: string], opts: autocannon.Options): Promise<Measured> {
  const before = await scrapeHistogram(metricsUrl, route[1], route[0]);
  const cpuBefore = sampleCpu(serverPid);
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...opts });
  const cpuAfter = sampleCpu(serverPid);
  const after = await scrapeHistogram(metricsUrl, route[1], route[0]);
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) process.stderr.write(`bench: ${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts\n`);
  return Object.assign(result, { serverP99: percentileBetween(before, after, 0.99), cpu: perRequest(cpuBefore, cpuAfter, result.requests.total) });
}

function row(scenario: string, r: Measured, target: string, ok: boolean | null): Row {
  return {
    scenario,
    requests: r.requests.total,
    perSecond: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    serverP99: r.serverP99,
    cpu: r.cpu,
    errors: r.non2xx + r.errors + r.timeouts,
    target,
    ok,
  };
}

async function seed(client: ApiClient, namespace: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const id = `flow_${String(i).padStart(5, "0")}`;
      const r = await client.put(`/flows/${namespace}/${id}`, flowYaml(namespace, id, "seed"));
      if (r.status !== 201 && r.status !== 200) throw new Error(`seed ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
}

async function main(): Promise<void> {
  const server = await startServer({ env: { MESHPLANE_RATE_LIMIT_PER_MINUTE: "10000000", MESHPLANE_LOG_LEVEL: "error" } });
  try {
    const admin = new ApiClient(server.api, server.adminKey);
    await admin.post("/teams", { name: "bench" });
    for (const ns of ["bench", "bench.writes", "bench.big"]) await admin.post("/namespaces", { name: ns, ownerTeam: "bench" });
    const key = await makeServiceAccount(admin, "ci-bench", "bench-ci", [{ role: "developer", namespace: "bench" }]);
    const dev = new ApiClient(server.api, key);
    const auth = { authorization: `Bearer ${key}` };

    const seedStart = performance.now();
    await seed(dev, "bench.big", BIG_NAMESPACE_FLOWS);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    process.stderr.write(`bench: seeded ${BIG_NAMESPACE_FLOWS} flows in ${seedSeconds.toFixed(1)} s (${Math.round(BIG_NAMESPACE_FLOWS / seedSeconds)}/s)\n`);

    // Cursors of every page of the big namespace, to read pages at random.
    const cursors: (string | null)[] = [null];
    for (let cursor: string | null = null; ; ) {
      const page = await dev.get(`/flows/bench.big?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      cursor = page.body.nextCursor;
      if (!cursor) break;
      cursors.push(cursor);
    }

    const rows: Row[] = [];
    const metrics = `${server.url}/metrics`;
    const pid = server.process.pid!;
    const baseline = await run("baseline", pid, metrics, ["GET", "/healthz"], { url: `${server.url}/healthz` });
    rows.push(row("baseline: GET /healthz (no auth, no DB)", baseline, "reference", null));

    const whoami = await run("whoami", pid, metrics, ["GET", "/api/v1/whoami"], { url: `${server.api}/whoami`, headers: auth });
    rows.push(row("GET /whoami (auth only)", whoami, "reference", null));

    let n = 0;
    const writes = await run("writes", pid, metrics, ["PUT", "/api/v1/flows/:namespace/:id"], {
      url: server.api,
      requests: [
        {
          method: "PUT",
          setupRequest: (req) => {
            const i = n++;
            const id = `flow_${i % 200}`;
            return { ...req, path: `/api/v1/flows/bench.writes/${id}`, headers: { ...auth, "content-type": "application/x-yaml" }, body: flowYaml("bench.writes", id, String(i)) };
          },
        },
      ],
    });
    rows.push(row("PUT flow (new revision, validated, audited)", writes, "≥ 800/s, p99 ≤ 25 ms", writes.requests.average >= 800 && writes.latency.p99 <= 25));

    const get = await run("get", pid, metrics, ["GET", "/api/v1/flows/:namespace/:id"], { url: `${server.api}/flows/bench.big/flow_01234`, headers: auth });
    rows.push(row("GET flow", get, "p99 ≤ 10 ms", get.latency.p99 <= 10));

    let p = 0;
    const pages = await run("pages", pid, metrics, ["GET", "/api/v1/flows/:namespace"], {
      url: server.api,
      requests: [
        {
          method: "GET",
          setupRequest: (req) => {
            const cursor = cursors[p++ % cursors.length];
            return { ...req, path: `/api/v1/flows/bench.big?limit=100${cursor ? `&cursor=${cursor}` : ""}`, headers: auth };
          },
        },
      ],
    });
    rows.push(row(`GET a page of 100 in a ${BIG_NAMESPACE_FLOWS}-flow namespace`, pages, "p99 ≤ 50 ms", pages.latency.p99 <= 50));

    printTable(rows);
    if (rows.some((r) => r.ok === false || r.errors > 0)) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

function printTable(rows: Row[]): void {
  const header = ["scenario", "requests", "req/s", "p50 ms", "p99 ms", "server p99 ms", "CPU ms/req: API + PostgreSQL + load gen.", "errors", "target", "met (client p99)"];
  const cpu = (c: CpuSplit | null) => (c ? `${c.api.toFixed(2)} + ${c.postgres.toFixed(2)} + ${c.loadGenerator.toFixed(2)}` : "-");
  const lines = rows.map((r) => [
    r.scenario,
    String(r.requests),
    String(r.perSecond),
    String(r.p50),
    String(r.p99),
    `≤ ${r.serverP99}`,
    cpu(r.cpu),
    String(r.errors),
    r.target,
    r.ok === null ? "-" : r.ok ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\ncontrol plane API, ${CONNECTIONS} connections, ${DURATION_S} s per scenario, embedded PostgreSQL`);
  console.log("p50/p99: seen by the load generator (autocannon, on the same 2 cores); server p99: the API's own histogram;");
  console.log("CPU: per request, of the API process, of PostgreSQL (all its processes) and of the load generator\n");
  console.log(fmt(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
}

await main();
