/**
 * The console's table-contract page (schema tree, versions with a column diff and its
 * verdict, rows preview, consumers) and the execution page's Gantt of task runs (parallel
 * branches, foreach values, a retry), on a real `meshplane serve` driven in Debian's
 * headless Chromium. Screenshots land in .console-screenshots/ (look at them).
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
const TABLE = "/tables/retail.sales/retail_sales.orders";
let server: TestServer;
let admin: ApiClient;
let browser: Browser;
let web: Server;
let webUrl: string;
let viewerKey: string;
let flakyCalls = 0;

const v1 = [
  { name: "order_id", type: "STRING", mode: "REQUIRED", description: "The order's id in the till" },
  { name: "amount", type: "NUMERIC" },
  { name: "note", type: "STRING" },
  { name: "tags", type: "STRING", mode: "REPEATED" },
  { name: "customer", type: "RECORD", fields: [{ name: "id", type: "INT64" }, { name: "address", type: "RECORD", fields: [{ name: "zip", type: "STRING", description: "Postal code" }] }] },
];
const v2 = v1.filter((f) => f.name !== "note").concat([{ name: "channel", type: "STRING" }]);

beforeAll(async () => {
  browser = await launchChromium();
  // Answers 500 to the first call and 200 after: a task that succeeds on its retry.
  web = createServer((req, res) => { if (req.url === "/flaky" && flakyCalls++ === 0) { res.statusCode = 500; res.end("not yet"); } else res.end("ok"); });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  for (const t of ["sales", "supply"]) expect((await admin.post("/teams", { name: t })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: SALES, ownerTeam: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: SUPPLY, ownerTeam: "supply" })).status).toBe(201);
  viewerKey = await makeServiceAccount(admin, "auditor", "audit", [{ role: "viewer", namespace: SALES }]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((r) => web?.close(r));
});

async function put(ns: string, id: string, body: string): Promise<void> {
  const a = await admin.put(`/flows/${ns}/${id}`, `id: ${id}\nnamespace: ${ns}\n${body}`);
  expect([200, 201], JSON.stringify(a.body)).toContain(a.status);
}

describe("the table-contract page", () => {
  beforeAll(async () => {
    expect((await admin.put(TABLE, { schema: v1, feedType: "WRITE_APPEND", description: "Orders from the tills" })).status).toBe(201);
    expect((await admin.put(TABLE, { schema: v2, feedType: "WRITE_APPEND", version: "2.0.0" })).status).toBe(200);
    const insert = await admin.post("/warehouse/query", { sql: "INSERT INTO retail_sales.orders (order_id, amount, tags, channel) VALUES ('o-1', 12.5, ['gift'], 'web')", dialect: "duckdb" });
    expect(insert.status, JSON.stringify(insert.body)).toBe(200);
    await put(SALES, "daily_revenue", "tasks:\n  - { id: sum, type: sql.query, sql: SELECT SUM(amount) FROM retail_sales.orders }\n");
    await put(SUPPLY, "restock", "tasks:\n  - { id: pick, type: sql.query, sql: SELECT order_id FROM retail_sales.orders }\n");
  });

  it("shows the schema tree, the v1→v2 column diff with its breaking verdict, rows and consumers", async () => {
    const { page, errors } = await newPage(browser);
    // Reached from the page of a flow of the namespace.
    await signInAs(page, server.url, server.adminKey, `/flows/${SALES}/daily_revenue`);
    await page.getByRole("link", { name: "retail_sales.orders" }).click();
    await page.waitForURL(/\/tables\/retail\.sales\/retail_sales\.orders$/);
    await page.getByRole("heading", { name: "Table retail_sales.orders" }).waitFor();
    const tree = page.locator(".schema-tree").first();
    await expect.poll(() => tree.innerText()).toContain("order_id STRING REQUIRED");
    const text = await tree.innerText();
    expect(text).toContain("The order's id in the till");
    expect(text).toContain("tags STRING REPEATED");
    expect(text).toContain("customer RECORD NULLABLE");
    // RECORD columns nest: zip is two levels under customer.
    expect(await page.locator(".schema-tree .schema-tree .schema-tree li").innerText()).toContain("zip STRING NULLABLE — Postal code");

    const diff = page.locator("table.column-diff tbody tr");
    await expect.poll(() => diff.count()).toBe(2);
    expect(await page.locator("table.column-diff thead").innerText()).toMatch(/1\.0\.0\s+2\.0\.0/);
    expect(await page.locator('table.column-diff tr[data-kind="removed"]').innerText()).toMatch(/note\s+− removed\s+STRING NULLABLE/);
    expect(await page.locator('table.column-diff tr[data-kind="added"]').innerText()).toMatch(/channel\s+\+ added/);
    expect(await page.locator(".verdict").innerText()).toMatch(/^Breaking: note/);
    // The same version on both sides: nothing differs, nothing breaks.
    await page.getByLabel("From").selectOption("2.0.0");
    expect(await page.locator(".verdict").innerText()).toBe("The same version.");
    await page.getByLabel("From").selectOption("1.0.0");

    const preview = page.getByRole("region", { name: "Preview of rows" });
    await expect.poll(() => preview.innerText().catch(() => "")).toContain("o-1");
    expect(await preview.innerText()).toContain("web");
    expect(await page.locator(".consumers").innerText()).toBe("retail.sales/daily_revenue\nretail.supply/restock");
    await page.screenshot({ path: `${SCREENSHOTS}/table-contract.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "retail.supply/restock" }).click();
    await page.waitForURL(/\/flows\/retail\.supply\/restock$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("counts, without naming, a consumer in a namespace the viewer cannot read", async () => {
    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, viewerKey, `/tables/${SALES}/retail_sales.orders`);
    await page.getByText("and 1 flow in namespaces you cannot read.").waitFor();
    expect(await page.locator(".consumers").innerText()).toBe("retail.sales/daily_revenue");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the Gantt of task runs", () => {
  it("shows parallel branches, foreach values and a retry with their states; a row chosen by keyboard shows its logs", async () => {
    await put(SALES, "fan_out", `tasks:
  - id: par
    type: core.parallel
    tasks:
      - { id: left, type: core.log, message: left branch }
      - { id: right, type: core.log, message: right branch }
  - id: each
    type: core.foreach
    values: [north, south]
    tasks:
      - { id: item, type: core.log, message: "item {{ taskrun.value }}" }
  - id: fetch
    type: http.request
    uri: "${webUrl}/flaky"
    retry: { type: constant, interval: PT0.2S, maxAttempts: 3 }
`);
    const started = await admin.post(`/executions/${SALES}/fan_out`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const e = await untilExecution(admin, started.body.id);
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");

    const { page, errors } = await newPage(browser);
    await signInAs(page, server.url, server.adminKey, `/executions/${e.id}`);
    const rows = page.locator(".gantt-row");
    await expect.poll(() => rows.count()).toBe(e.taskRuns.length);
    const shown = await rows.evaluateAll((els) => els.map((el) => [el.getAttribute("data-path"), Number(el.getAttribute("data-attempt")), el.querySelector("[data-state]")?.textContent?.trim()]));
    const expected = (e.taskRuns as { path: string; attempt: number; state: string }[]).map((r) => [r.path, r.attempt, `${{ SUCCESS: "✓", FAILED: "✕" }[r.state]} ${r.state}`]);
    expect([...shown].sort()).toEqual([...expected].sort());
    expect(shown).toContainEqual(["fetch", 1, "✕ FAILED"]);
    expect(shown).toContainEqual(["fetch", 2, "✓ SUCCESS"]);
    expect(shown.map((r) => r[0])).toEqual(expect.arrayContaining(["par/left", "par/right", "each/0/item", "each/1/item"]));
    expect(await page.locator('.gantt-row[data-path="each/1/item"]').innerText()).toContain("each/1/item [south]");

    // Bars sit on the execution's time axis: the retry starts after the failed attempt's bar ends.
    const bar = async (attempt: number) => {
      const r = page.locator(`.gantt-row[data-path="fetch"][data-attempt="${attempt}"] .gantt-bar`);
      return { x: Number(await r.getAttribute("x")), w: Number(await r.getAttribute("width")) };
    };
    const [first, second] = [await bar(1), await bar(2)];
    expect(second.x).toBeGreaterThanOrEqual(first.x + first.w - 0.01);
    expect(second.x + second.w).toBeLessThanOrEqual(100.01);

    // Keyboard: Tab reaches a row, Enter shows only that task run's logs.
    await page.locator('.gantt-row[data-path="each/0/item"]').focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-path"))).toBe("each/1/item");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".logs li").allInnerTexts()).toEqual([expect.stringContaining("item south")]);
    expect(await page.locator('.gantt-row[data-path="each/1/item"]').getAttribute("aria-pressed")).toBe("true");
    await page.screenshot({ path: `${SCREENSHOTS}/gantt.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Show all logs" }).click();
    await expect.poll(() => page.locator(".logs li").count()).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
