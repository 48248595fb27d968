/**
 * Flow triggers with two `meshplane serve` replicas on one external PostgreSQL 15: every
 * upstream end wakes both replicas' handlers, and each end starts exactly one downstream
 * execution (SKIP LOCKED on the pending end, the trigger's key on the upstream execution)
 * — Kestra has open bugs of duplicate executions with several executors (kestra#14196).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { startServer, type TestServer } from "./support/server.ts";

let pg: ExternalPostgres;
let url: string;
let a: TestServer;
let b: TestServer;
const adminKey = `mp_${randomBytes(32).toString("base64url")}`;
const env = () => ({ MESHPLANE_DATABASE_URL: url, MESHPLANE_JWT_SECRET: "replicas-share-this-secret-0123456789abcdef", MESHPLANE_ADMIN_API_KEY: adminKey });

beforeAll(async () => {
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_trigger_replicas");
  a = await startServer({ env: env() });
  b = await startServer({ env: env() });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await pg?.stop();
});

describe("two replicas", () => {
  it("start exactly one downstream execution per upstream end", async () => {
    const adminA = new ApiClient(a.api, adminKey);
    const adminB = new ApiClient(b.api, adminKey);
    for (const team of ["sales", "supply"]) expect((await adminA.post("/teams", { name: team })).status).toBe(201);
    expect((await adminA.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
    expect((await adminA.post("/namespaces", { name: "retail.supply", ownerTeam: "supply" })).status).toBe(201);
    expect((await adminA.post("/trigger-grants", { upstreamNamespace: "retail.sales", downstreamNamespace: "retail.supply", kinds: ["trigger"] })).status).toBe(201);
    expect((await adminA.put("/flows/retail.sales/orders", "id: orders\nnamespace: retail.sales\ntasks:\n  - { id: log, type: core.log, message: up }\n")).status).toBe(201);
    const down = "id: replenish\nnamespace: retail.supply\ntasks:\n  - { id: log, type: core.log, message: down }\ntriggers:\n  - { id: after, type: flow, upstream: [{ namespace: retail.sales, flowId: orders }] }\n";
    expect((await adminB.put("/flows/retail.supply/replenish", down)).status).toBe(201);

    const N = 30;
    const started = await Promise.all(Array.from({ length: N }, (_, i) => (i % 2 ? adminA : adminB).post("/executions/retail.sales/orders", {})));
    expect(started.map((s) => s.status)).toEqual(started.map(() => 201));
    const count = async () => Number((await pg.query<{ n: string }>("SELECT count(*) AS n FROM executions WHERE flow_id = 'replenish'", [], url))[0]!.n);
    const handled = async () => Number((await pg.query<{ n: string }>("SELECT count(*) AS n FROM executions WHERE flow_id = 'orders' AND end_handled", [], url))[0]!.n);
    expect(await eventually(async () => (await handled()) === N, 60_000), `handled ${await handled()} of ${N}`).toBe(true);
    // Both replicas' sweeps have passed again: nothing more appears.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await count()).toBe(N);
    const perUpstream = await pg.query<{ upstream: string; n: string }>(
      "SELECT trigger->'upstream'->0->>'executionId' AS upstream, count(*) AS n FROM executions WHERE flow_id = 'replenish' GROUP BY 1",
      [],
      url,
    );
    expect(perUpstream.map((r) => r.upstream).sort()).toEqual(started.map((s) => s.body.id).sort());
    expect(perUpstream.every((r) => r.n === "1")).toBe(true);
    for (const s of started.slice(0, 3)) {
      const up = await adminB.get(`/executions/${s.body.id}`);
      expect(up.body.downstream).toHaveLength(1);
      expect(up.body.downstream[0].executionId).toBeDefined();
    }
  });
});
