/**
 * The web console end to end (SPEC §11, issue 14): a real `meshplane serve` on its embedded
 * PostgreSQL with a two-team mesh and real executions, driven in Debian's headless Chromium.
 * Screenshots land in .console-screenshots/ (look at them).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "../support/client.ts";
import { untilExecution } from "../support/executions.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { launchChromium, newPage, SCREENSHOTS, seriousViolations, signInAs } from "./browser.ts";

const SALES = "retail.sales";
const SUPPLY = "retail.supply";
let server: TestServer;
let admin: ApiClient;
let browser: Browser;
let web: Server;
let webUrl: string;
let viewerKey: string;
let grantId: string;
const held: (() => void)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  let flakyCalls = 0;
  web = createServer((req, res) => {
    if (req.url === "/hold") held.push(() => res.end("released"));
    // Fails its first call only: a restart of the failed execution then succeeds.
    else if (req.url === "/flaky") { res.statusCode = flakyCalls++ === 0 ? 503 : 200; res.end(res.statusCode === 200 ? "ok" : "not yet"); }
    else res.end("ok");
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  for (const t of ["sales", "supply"]) expect((await admin.post("/teams", { name: t })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: SALES, ownerTeam: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: SUPPLY, ownerTeam: "supply" })).status).toBe(201);
  const g = await admin.post("/trigger-grants", { upstreamNamespace: SUPPLY, downstreamNamespace: SALES, kinds: ["trigger"] });
  expect(g.status).toBe(201);
  grantId = g.body.id;
  await put(SUPPLY, "stock_levels", "tasks:\n  - { id: count, type: core.log, message: counted }\n");
  await put(SALES, "daily_orders", `tasks:\n  - { id: merge, type: core.log, message: merged }\ntriggers:\n  - id: after_stock\n    type: flow\n    upstream:\n      - { namespace: ${SUPPLY}, flowId: stock_levels }\n    states: [SUCCESS]\n`);
  await put(SALES, "slow", `tasks:\n  - { id: wait, type: http.request, uri: "${webUrl}/hold" }\n  - { id: info, type: core.log, message: "fetched the stock file" }\n  - { id: careful, type: core.log, level: WARN, message: "3 rows without a price" }\n`);
  viewerKey = await makeServiceAccount(admin, "auditor", "audit", [{ role: "viewer", namespace: SALES }]);
});
afterAll(async () => {
  held.forEach((release) => release());
  await browser?.close();
  await server?.stop();
  await new Promise((r) => web?.close(r));
});

async function put(ns: string, id: string, body: string): Promise<void> {
  const a = await admin.put(`/flows/${ns}/${id}`, `id: ${id}\nnamespace: ${ns}\n${body}`);
  expect([200, 201], JSON.stringify(a.body)).toContain(a.status);
}
async function run(ns: string, flowId: string): Promise<string> {
  const a = await admin.post(`/executions/${ns}/${flowId}`, {});
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  return a.body.id;
}
async function until(predicate: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) { if (await predicate()) return; await new Promise((r) => setTimeout(r, 150)); }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the web console", () => {
  it("is served at / with a strict CSP of its own, while the API keeps default-src 'none'", async () => {
    const home = await fetch(`${server.url}/executions?state=FAILED`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="root">');
    const csp = home.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const apiAnswer = await fetch(`${server.api}/openapi.json`);
    expect(apiAnswer.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
    const apiMissing = await fetch(`${server.api}/no-such-thing`);
    expect(apiMissing.status).toBe(404);
    expect(apiMissing.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it("signs in with an API key it does not keep, and signs out on 401", async () => {
    const { page, errors } = await newPage(browser);
    await page.goto(server.url);
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in.png` });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("API key").fill("mp_not_a_key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await signInAs(page, server.url, server.adminKey);
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(stored).not.toContain(server.adminKey);
    expect(stored).toContain("meshplane.token");
    // A token the server no longer accepts: the next call answers 401 and the page signs out.
    await page.evaluate(() => sessionStorage.setItem("meshplane.token", JSON.stringify({ token: "expired", expiresAt: Date.now() + 60_000 })));
    await page.goto(`${server.url}/executions`);
    await page.getByLabel("API key").waitFor();
    expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
    await page.close();
  });

  it("draws the mesh: the cross-team edge with its grant, then refused at run time once the grant is revoked", async () => {
    const first = await run(SUPPLY, "stock_levels");
    expect((await untilExecution(admin, first)).state).toBe("SUCCESS");
    await until(async () => (await admin.get(`/executions?namespace=${SALES}&flowId=daily_orders`)).body.items.length === 1, "daily_orders triggered");
    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey);
    const edgeRow = page.locator("table.edges tbody tr", { hasText: `${SUPPLY}/stock_levels` });
    await expect.poll(() => edgeRow.textContent()).toContain(`grant ${SUPPLY} → ${SALES}`);
    await expect.poll(() => page.locator(".react-flow__edge-text").allTextContents()).toContain(`✓ grant ${SUPPLY} → ${SALES}`);
    await expect.poll(() => page.locator(".react-flow__node.flow-node").count()).toBe(3);
    expect(await page.locator(".react-flow__node", { hasText: "team sales" }).count()).toBe(1);
    // Laid out off the main thread (mesh/layout.worker.ts).
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toEqual([expect.stringMatching(/^\/assets\/layout\.worker.*\.js$/)]);
    expect(await page.locator(".react-flow__node.flow-node", { hasText: "stock_levels" }).textContent()).toContain("SUCCESS");
    await page.screenshot({ path: `${SCREENSHOTS}/mesh-granted.png` });
    expect(await seriousViolations(page)).toEqual([]);

    // Selection syntax: upstream of daily_orders is itself + stock_levels; team:supply only stock_levels.
    await page.getByLabel("Select flows").fill("+daily_orders");
    await expect.poll(() => page.locator(".react-flow__node.flow-node").count()).toBe(2);
    await page.getByLabel("Select flows").fill("team:supply");
    await expect.poll(() => page.locator(".react-flow__node.flow-node").count()).toBe(1);
    // Graph nodes are reachable from the keyboard.
    await page.locator(".react-flow__node.flow-node").first().focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toContain("retail.supply/stock_levels");

    // Live: a run started now shows on the map without a reload (GET /mesh every REFRESH_MS, 10 s).
    await page.getByLabel("Select flows").fill("");
    const slowNode = page.locator(".react-flow__node.flow-node", { hasText: "slow" });
    await expect.poll(() => slowNode.textContent()).toContain("no run");
    await run(SALES, "slow");
    await expect.poll(() => slowNode.textContent(), { timeout: 25_000 }).toContain("RUNNING");
    await until(async () => held.length === 1, "the slow flow waiting on its request");
    held.shift()!();
    await expect.poll(() => slowNode.textContent(), { timeout: 25_000 }).toContain("SUCCESS");

    expect((await admin.delete(`/trigger-grants/${grantId}`)).status).toBe(204);
    const second = await run(SUPPLY, "stock_levels");
    expect((await untilExecution(admin, second)).state).toBe("SUCCESS");
    await until(async () => (await admin.get("/audit?resourceType=flow")).body.items.some((e: any) => e.action === "trigger.denied"), "trigger.denied audited");
    // The home page's API calls do not grow with the mesh: no list per namespace or flow.
    const calls: string[] = [];
    page.on("request", (r) => { const u = new URL(r.url()); if (u.pathname.startsWith("/api/v1/")) calls.push(u.pathname.slice("/api/v1".length)); });
    await page.goto(server.url);
    await expect.poll(() => edgeRow.textContent()).toContain("refused at run time");
    expect(calls.sort()).toEqual(["/mesh", "/namespaces", "/trigger-grants", "/whoami"]);
    await expect.poll(() => page.locator(".react-flow__edge-text").allTextContents()).toContain("⚠ refused at run time");
    await page.screenshot({ path: `${SCREENSHOTS}/mesh-refused.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("follows a live execution to SUCCESS without a reload, and filters its logs by level", async () => {
    const id = await run(SALES, "slow");
    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey, `/executions/${id}`);
    await page.locator("h1", { hasText: "RUNNING" }).waitFor();
    held.shift()!();
    await page.locator("h1", { hasText: "SUCCESS" }).waitFor({ timeout: 30_000 });
    await page.locator(".logs li", { hasText: "3 rows without a price" }).waitFor();
    expect(await page.locator(".logs li", { hasText: "fetched the stock file" }).count()).toBe(1);
    await page.getByLabel("Level at least").selectOption("WARN");
    await expect.poll(() => page.locator(".logs li").allTextContents()).toEqual([expect.stringContaining("3 rows without a price")]);
    await page.getByLabel("Level at least").selectOption("TRACE");
    await page.getByLabel("Search").fill("stock file");
    await expect.poll(() => page.locator(".logs li").count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/execution.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("kills a running execution for a caller who may, and shows a viewer no kill button (the API says 403)", async () => {
    const id = await run(SALES, "slow");
    await until(async () => held.length === 1, "the slow flow waiting on its request");
    const viewer = await newPage(browser);
    await signInAs(viewer.page, server.url, viewerKey, `/executions/${id}`);
    await viewer.page.locator("h1", { hasText: "RUNNING" }).waitFor();
    expect(await viewer.page.getByRole("button", { name: "Kill" }).count()).toBe(0);
    expect((await admin.as(viewerKey).post(`/executions/${id}/kill`, {})).status).toBe(403);
    await viewer.page.screenshot({ path: `${SCREENSHOTS}/execution-viewer.png` });
    await viewer.page.close();

    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey, `/executions/${id}`);
    await page.getByRole("button", { name: "Kill" }).click();
    await page.locator("h1", { hasText: "KILLED" }).waitFor({ timeout: 30_000 });
    expect((await admin.get(`/executions/${id}`)).body.state).toBe("KILLED");
    expect(viewer.errors).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("lists executions with its filters kept in the URL", async () => {
    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey, `/executions?namespace=${SALES}&state=KILLED`);
    await page.getByRole("link", { name: "Executions" }).click();
    await page.goto(`${server.url}/executions?namespace=${SALES}&state=KILLED`);
    await expect.poll(() => page.locator("table.executions tbody tr").count()).toBe(1);
    expect(await page.locator("table.executions tbody").textContent()).toContain("retail.sales/slow");
    await page.getByLabel("State").selectOption("SUCCESS");
    expect(new URL(page.url()).searchParams.get("state")).toBe("SUCCESS");
    await expect.poll(() => page.locator("table.executions tbody").textContent()).toContain("retail.sales/daily_orders");
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/executions.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a flow's revision diff and runs it from a form built from its typed inputs; governance lists grants and the audit", async () => {
    await put(SALES, "report", "inputs:\n  - { id: day, type: STRING }\ntasks:\n  - { id: say, type: core.log, message: \"day {{ inputs.day }}\" }\n");
    await put(SALES, "report", "inputs:\n  - { id: day, type: STRING }\ntasks:\n  - { id: say, type: core.log, message: \"report of {{ inputs.day }}\" }\n");
    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey, `/flows/${SALES}/report`);
    await page.getByRole("button", { name: "Diff with 1" }).click();
    await expect.poll(() => page.locator(".diff .del").allTextContents()).toEqual([expect.stringContaining("message: \"day {{ inputs.day }}\"")]);
    expect(await page.locator(".diff .add").allTextContents()).toEqual([expect.stringContaining("report of")]);
    await page.screenshot({ path: `${SCREENSHOTS}/flow.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(/^day/).fill("2026-12-03");
    await page.getByRole("button", { name: "Run" }).click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await page.locator("h1", { hasText: "SUCCESS" }).waitFor({ timeout: 30_000 });
    await page.locator(".logs li", { hasText: "report of 2026-12-03" }).waitFor();

    await page.goto(`${server.url}/governance?resourceType=trigger-grant`);
    await page.locator("h2", { hasText: "Trigger grants" }).waitFor();
    await expect.poll(() => page.locator("table.audit tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator("table.audit tbody").textContent()).toContain("trigger-grant");
    // Who can do what in retail.sales: its owner team, the viewer bound there, the platform admins.
    await page.getByLabel("Namespace", { exact: true }).selectOption(SALES);
    expect(new URL(page.url()).searchParams.get("access")).toBe(SALES);
    const who = page.locator("table.access tbody tr");
    await expect.poll(() => who.filter({ hasText: "service account auditor" }).textContent()).toContain(`viewer: bound on ${SALES}`);
    expect(await who.filter({ hasText: "team sales" }).textContent()).toContain(`maintainer: owns ${SALES}`);
    expect(await who.filter({ hasText: "platform-admin" }).count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/governance.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the disconnected banner while the live stream cannot connect, and goes on live once it can", async () => {
    held.splice(0).forEach((release) => release()); // the killed execution's request, still open
    const id = await run(SALES, "slow");
    await until(async () => held.length === 1, "the slow flow waiting on its request");
    const { page, errors } = await newPage(browser);
    await page.route("**/api/v1/executions/*/follow", (r) => r.abort("connectionrefused"));
    await signInAs(page, server.url, server.adminKey, `/executions/${id}`);
    const banner = page.getByRole("alert").filter({ hasText: "Disconnected from the live updates" });
    await banner.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/execution-disconnected.png` });
    expect(await seriousViolations(page)).toEqual([]);
    await page.unroute("**/api/v1/executions/*/follow");
    await banner.waitFor({ state: "detached", timeout: 10_000 });
    held.shift()!();
    await page.locator("h1", { hasText: "SUCCESS" }).waitFor({ timeout: 30_000 });
    // The refused connections are the only errors the browser reports.
    expect(errors.filter((e) => !e.includes("ERR_CONNECTION_REFUSED"))).toEqual([]);
    await page.close();
  });

  it("restarts a failed execution from its page: the failed task runs again and the execution succeeds", async () => {
    await put(SALES, "flaky", `tasks:\n  - { id: fetch, type: http.request, uri: "${webUrl}/flaky" }\n`);
    const id = await run(SALES, "flaky");
    expect((await untilExecution(admin, id)).state).toBe("FAILED");
    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey, `/executions/${id}`);
    await page.locator("h1", { hasText: "FAILED" }).waitFor();
    await page.getByRole("button", { name: "Restart" }).click();
    await page.locator("h1", { hasText: "SUCCESS" }).waitFor({ timeout: 30_000 });
    const runs = (await admin.get(`/executions/${id}`)).body.taskRuns.filter((t: any) => t.taskId === "fetch");
    expect(runs.map((t: any) => t.state)).toEqual(["FAILED", "SUCCESS"]);
    expect(await page.getByRole("button", { name: "Restart" }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps the table but asks for a filter beyond 250 flows, and draws the filtered selection", async () => {
    for (let i = 0; i < 250; i++) await put(SUPPLY, `bulk_${String(i).padStart(3, "0")}`, "tasks:\n  - { id: say, type: core.log, message: hi }\n");
    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey);
    const guard = page.getByRole("status").filter({ hasText: "too many to draw" });
    await guard.waitFor();
    expect(await guard.textContent()).toMatch(/^25\d flows selected: too many to draw \(at most 250\)/);
    expect(await page.locator(".react-flow__node").count()).toBe(0);
    expect(await page.locator("table.flows tbody tr").count()).toBeGreaterThan(250);
    await page.getByLabel("Select flows").fill("team:sales");
    await expect.poll(() => page.locator(".react-flow__node.flow-node").count()).toBeGreaterThan(0);
    expect(await guard.count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/mesh-size-guard.png` });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
