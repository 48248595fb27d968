/**
 * Trigger latency during the 3 AM burst (issue 11 "Measure it"): while the burst drains,
 * an upstream flow of another team is started every INTERVAL_MS; each end starts, through
 * a cross-team flow trigger whose grant is checked each time, a downstream execution.
 * Latency = the downstream's created_at − the upstream's ended_at (both the database's
 * instants, so the bench's polling adds nothing), counted for the upstreams that ended
 * while the burst was still draining. The idle figure is bench/trigger-latency-bench.ts.
 */
import type pg from "pg";
import type { ApiClient } from "../test/support/client.ts";
import type { HttpPool } from "./http-pool.ts";

const UP_NS = "bench.sales";
const DOWN_NS = "supply";
const INTERVAL_MS = 250;

/** The two teams' flows and the producer's trigger grant. */
export async function setupTriggerChain(admin: ApiClient): Promise<void> {
  const ok = (what: string, a: { status: number; body: unknown }) => {
    if (a.status >= 300) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
  };
  ok("team", await admin.post("/teams", { name: "supply" }));
  ok("namespace", await admin.post("/namespaces", { name: UP_NS, ownerTeam: "bench" }));
  ok("namespace", await admin.post("/namespaces", { name: DOWN_NS, ownerTeam: "supply" }));
  ok("grant", await admin.post("/trigger-grants", { upstreamNamespace: UP_NS, upstreamFlow: "orders", downstreamNamespace: DOWN_NS, kinds: ["trigger"] }));
  ok("upstream", await admin.put(`/flows/${UP_NS}/orders`, `id: orders\nnamespace: ${UP_NS}\ntasks:\n  - { id: log, type: core.log, message: up }\n`));
  ok(
    "downstream",
    await admin.put(
      `/flows/${DOWN_NS}/replenish`,
      `id: replenish\nnamespace: ${DOWN_NS}\ntasks:\n  - { id: log, type: core.log, message: down }\ntriggers:\n  - { id: after_orders, type: flow, upstream: [{ namespace: ${UP_NS}, flowId: orders }] }\n`,
    ),
  );
}

/** Starts upstreams until `stop()`; `stop` answers how many were started. */
export function startTriggerProbe(client: HttpPool): { stop: () => Promise<number> } {
  let running = true;
  let started = 0;
  const loop = (async () => {
    while (running) {
      const a = await client.request("POST", `/executions/${UP_NS}/orders`, {});
      if (a.status === 201) started++;
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return started;
    },
  };
}

/** Latencies (ms) of the upstreams that ended by `until`, and how many of those started nothing (yet). */
export async function triggerLatencies(db: pg.Pool, until: Date): Promise<{ ms: number[]; missing: number }> {
  const rows = (
    await db.query<{ ms: number | null }>(
      `SELECT extract(epoch FROM d.created_at - u.ended_at) * 1000 AS ms
       FROM executions u
       LEFT JOIN executions d ON d.namespace = $2 AND d.trigger -> 'upstream' -> 0 ->> 'executionId' = u.id::text
       WHERE u.namespace = $1 AND u.flow_id = 'orders' AND u.ended_at <= $3`,
      [UP_NS, DOWN_NS, until],
    )
  ).rows;
  const ms = rows.flatMap((r) => (r.ms === null ? [] : [Number(r.ms)])).sort((a, b) => a - b);
  return { ms, missing: rows.length - ms.length };
}
