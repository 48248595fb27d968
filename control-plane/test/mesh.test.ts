/**
 * GET /mesh (the console's home page in one call): a real server, three teams, a chain
 * supply → sales → finance of flow triggers allowed by grants, executions run. What each
 * caller gets is what it may read: flows of readable namespaces only, their latest run,
 * and the edges those flows declare (an upstream elsewhere appears as a key, no more);
 * a revoked grant shows as the edge's latest run-time refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { untilExecution } from "./support/executions.ts";
import { startServer, type TestServer } from "./support/server.ts";

const SUPPLY = "retail.supply";
const SALES = "retail.sales";
const FINANCE = "finance";
let server: TestServer;
let admin: ApiClient;
let viewer: ApiClient;
let supplyGrant: string;

const trigger = (ns: string, flowId: string) => `triggers:\n  - id: after\n    type: flow\n    upstream:\n      - { namespace: ${ns}, flowId: ${flowId} }\n    states: [SUCCESS]\n`;

async function put(ns: string, id: string, extra = ""): Promise<void> {
  const a = await admin.put(`/flows/${ns}/${id}`, `id: ${id}\nnamespace: ${ns}\ntasks:\n  - { id: say, type: core.log, message: hi }\n${extra}`);
  expect([200, 201], JSON.stringify(a.body)).toContain(a.status);
}

async function run(ns: string, flowId: string): Promise<string> {
  const a = await admin.post(`/executions/${ns}/${flowId}`, {});
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  expect((await untilExecution(admin, a.body.id)).state).toBe("SUCCESS");
  return a.body.id;
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  for (const t of ["supply", "sales", "finance"]) expect((await admin.post("/teams", { name: t })).status).toBe(201);
  for (const [name, ownerTeam] of [[SUPPLY, "supply"], [SALES, "sales"], [FINANCE, "finance"]]) expect((await admin.post("/namespaces", { name, ownerTeam })).status).toBe(201);
  const g = await admin.post("/trigger-grants", { upstreamNamespace: SUPPLY, downstreamNamespace: SALES, kinds: ["trigger"] });
  supplyGrant = g.body.id;
  expect((await admin.post("/trigger-grants", { upstreamNamespace: SALES, downstreamNamespace: FINANCE, kinds: ["trigger"] })).status).toBe(201);
  await put(SUPPLY, "stock_levels");
  await put(SALES, "daily_orders", trigger(SUPPLY, "stock_levels"));
  await put(SALES, "returns");
  await put(FINANCE, "ledger", trigger(SALES, "daily_orders"));
  await put(SALES, "gone");
  expect((await admin.delete(`/flows/${SALES}/gone`)).status).toBe(204);
  viewer = admin.as(await makeServiceAccount(admin, "sales-reader", "audit", [{ role: "viewer", namespace: SALES }]));
});
afterAll(async () => {
  await server?.stop();
});

describe("GET /mesh", () => {
  it("gives a platform admin every live flow with its latest run, and every stored edge", async () => {
    await run(SUPPLY, "stock_levels");
    const latest = await run(SUPPLY, "stock_levels");
    const mesh = await until(
      async () => (await admin.get("/mesh")).body,
      (m) => m.flows.find((f: any) => f.id === "ledger")?.latestExecution?.state === "SUCCESS",
      "the chain to reach finance/ledger",
    );
    expect(mesh.flows.map((f: any) => `${f.namespace}/${f.id}`)).toEqual([`${FINANCE}/ledger`, `${SALES}/daily_orders`, `${SALES}/returns`, `${SUPPLY}/stock_levels`]);
    const stock = mesh.flows.find((f: any) => f.id === "stock_levels");
    expect(stock.latestExecution).toMatchObject({ id: latest, state: "SUCCESS" });
    expect(mesh.flows.find((f: any) => f.id === "returns")).toEqual({ namespace: SALES, id: "returns", disabled: false });
    expect(mesh.edges).toEqual([
      { from: { namespace: SALES, id: "daily_orders" }, to: { namespace: FINANCE, id: "ledger" }, kind: "trigger" },
      { from: { namespace: SUPPLY, id: "stock_levels" }, to: { namespace: SALES, id: "daily_orders" }, kind: "trigger" },
    ]);
  });

  it("gives a viewer of one namespace that namespace's flows and edges only: another team's upstream is a key, its downstream is absent", async () => {
    const mesh = (await viewer.get("/mesh")).body;
    expect(mesh.flows.map((f: any) => `${f.namespace}/${f.id}`)).toEqual([`${SALES}/daily_orders`, `${SALES}/returns`]);
    expect(mesh.flows.find((f: any) => f.id === "daily_orders").latestExecution.state).toBe("SUCCESS");
    expect(mesh.edges).toEqual([{ from: { namespace: SUPPLY, id: "stock_levels" }, to: { namespace: SALES, id: "daily_orders" }, kind: "trigger" }]);
    expect(JSON.stringify(mesh)).not.toContain("ledger");
  });

  it("marks the edge refused at run time once its grant is revoked and the upstream ends again", async () => {
    expect((await admin.delete(`/trigger-grants/${supplyGrant}`)).status).toBe(204);
    const before = Date.now();
    await run(SUPPLY, "stock_levels");
    const edge = await until(
      async () => (await viewer.get("/mesh")).body.edges.find((e: any) => e.from.id === "stock_levels"),
      (e) => e?.refusedAt !== undefined,
      "the refusal on the edge",
    );
    expect(Date.parse(edge.refusedAt)).toBeGreaterThanOrEqual(before - 1000);
    // The other edge (sales → finance, still granted) carries no refusal.
    const other = (await admin.get("/mesh")).body.edges.find((e: any) => e.from.id === "daily_orders");
    expect(other).toEqual({ from: { namespace: SALES, id: "daily_orders" }, to: { namespace: FINANCE, id: "ledger" }, kind: "trigger" });
  });

  it("gives a caller who reads no namespace an empty mesh, and an anonymous one 401", async () => {
    const outsider = admin.as(await makeServiceAccount(admin, "nobody", "finance", []));
    const own = (await outsider.get("/mesh")).body;
    // Team finance owns `finance`: its members read it by ownership, nothing else.
    expect(own.flows.map((f: any) => f.id)).toEqual(["ledger"]);
    expect(own.edges).toEqual([{ from: { namespace: SALES, id: "daily_orders" }, to: { namespace: FINANCE, id: "ledger" }, kind: "trigger" }]);
    expect((await admin.post("/teams", { name: "nomads" })).status).toBe(201);
    const nomad = admin.as(await makeServiceAccount(admin, "wanderer", "nomads", []));
    expect((await nomad.get("/mesh")).body).toEqual({ flows: [], edges: [] });
    expect((await new ApiClient(server.api).get("/mesh")).status).toBe(401);
  });
});
