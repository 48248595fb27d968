/**
 * Trigger latency (issue 11 "Measure it"): from an upstream execution's end to the
 * creation of the downstream execution its cross-team flow trigger starts, the grant
 * checked each time. Both instants are the database's (executions.ended_at of the
 * upstream, created_at of the downstream), so the client's polling adds nothing.
 * An idle `meshplane serve` on its embedded PostgreSQL; RUNS chained runs one after
 * the other. Targets: p50 ≤ 50 ms, p99 ≤ 500 ms.
 *
 *   node bin/run-ts.js bench/trigger-latency-bench.ts   (BENCH_TRIGGER_RUNS=200)
 */
import { ApiClient } from "../test/support/client.ts";
import { startServer } from "../test/support/server.ts";

const RUNS = Number(process.env["BENCH_TRIGGER_RUNS"] ?? 200);
const TERMINAL = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"];

async function main(): Promise<void> {
  const server = await startServer();
  try {
    const admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["sales", "supply"]) await admin.post("/teams", { name: team });
    await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" });
    await admin.post("/namespaces", { name: "retail.supply", ownerTeam: "supply" });
    await admin.post("/trigger-grants", { upstreamNamespace: "retail.sales", upstreamFlow: "orders", downstreamNamespace: "retail.supply", kinds: ["trigger"] });
    await admin.put("/flows/retail.sales/orders", "id: orders\nnamespace: retail.sales\ntasks:\n  - { id: log, type: core.log, message: up }\n");
    await admin.put(
      "/flows/retail.supply/replenish",
      "id: replenish\nnamespace: retail.supply\ntasks:\n  - { id: log, type: core.log, message: down }\ntriggers:\n  - { id: after_orders, type: flow, upstream: [{ namespace: retail.sales, flowId: orders }] }\n",
    );
    const latencies: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = await admin.post("/executions/retail.sales/orders", {});
      if (started.status !== 201) throw new Error(`run ${i}: ${started.status} ${JSON.stringify(started.body)}`);
      let up: any;
      for (;;) {
        up = (await admin.get(`/executions/${started.body.id}`)).body;
        if (TERMINAL.includes(up.state) && up.downstream.length > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const id = up.downstream[0].executionId;
      if (!id) throw new Error(`run ${i}: not started: ${JSON.stringify(up.downstream)}`);
      const down = (await admin.get(`/executions/${id}`)).body;
      latencies.push(Date.parse(down.createdAt) - Date.parse(up.endedAt));
    }
    latencies.sort((x, y) => x - y);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    const p50 = pct(50);
    const p99 = pct(99);
    console.log(`Trigger latency, upstream end → downstream created (cross-team, grant checked), ${RUNS} chained runs, idle server:`);
    console.log("| p50 | p99 | max | target |");
    console.log("| --- | --- | --- | --- |");
    console.log(`| ${p50} ms | ${p99} ms | ${latencies[latencies.length - 1]} ms | p50 ≤ 50 ms ${p50 <= 50 ? "✓" : "✗"}, p99 ≤ 500 ms ${p99 <= 500 ? "✓" : "✗"} |`);
  } finally {
    await server.stop();
  }
}

await main();
