// The quickstart end to end, in a temporary data dir, with nothing mocked: a control-plane
// process on the embedded PostgreSQL, the provider built and installed for
// `terraform init -plugin-dir`, the real `terraform` applying the example repositories
// (platform with the admin key, each domain with its team's own CI key). Then the API is
// asked what was registered, a team's key is tried on another team's namespace, and the
// command itself is run a second time on the same data: nothing changes, nothing is left.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, processesMentioning } from "@meshplane/test-kit";
import { ORDER_COUNT, REFUND_COUNT, refundedOrders } from "../src/landing.ts";
import { runQuickstart, type QuickstartRun } from "../src/quickstart.ts";

const BIN = fileURLToPath(new URL("../bin/quickstart.js", import.meta.url));

interface FlowDoc {
  tasks: { type: string; writeDisposition?: string; keys?: string[]; destinationTable?: string }[];
  triggers?: { type: string; cron?: string; timezone?: string; upstream?: { namespace: string; flowId: string }[] }[];
}

describe("npm run quickstart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "meshplane-quickstart-"));
  let run: QuickstartRun;
  let admin: ApiClient;
  const flow = async (namespace: string, id: string): Promise<FlowDoc> => {
    const r = await admin.get(`/flows/${namespace}/${id}`);
    expect(r.status, `${namespace}/${id}`).toBe(200);
    return parse(r.body.source as string) as FlowDoc;
  };

  beforeAll(async () => {
    run = await runQuickstart({ dataDir, port: 0 });
    admin = new ApiClient(`${run.controlPlane.url}/api/v1`, run.controlPlane.adminKey);
  });

  afterAll(async () => {
    await run?.controlPlane.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("applies the platform, sales and supply repositories and refuses finance's plan", () => {
    expect(run.outcomes.map((o) => [o.repository.name, o.result])).toEqual([
      ["platform", "applied"],
      ["sales", "applied"],
      ["supply", "applied"],
      ["finance", "refused"],
    ]);
    expect(run.outcomes[0]!.plan).toBe("Plan: 24 to add, 0 to change, 0 to destroy.");
    expect(Object.keys(run.keys).sort()).toEqual(["finance-ci", "sales-ci", "supply-ci"]);
  });

  it("registers every flow and table contract in its namespace, with its feed type and triggers", async () => {
    const ids = async (path: string, key: (i: Record<string, string>) => string) => ((await admin.get(path)).body.items as Record<string, string>[]).map(key).sort();
    expect(await ids("/flows/retail.sales", (f) => f.id!)).toEqual(["sales_mart.daily_store_revenue", "sales_mart.v_store_revenue_last_28_days", "sales_ods.orders", "sales_raw.orders_raw"]);
    expect(await ids("/tables/retail.sales", (t) => `${t.dataset}.${t.table}`)).toEqual(["sales_mart.daily_store_revenue", "sales_ods.orders", "sales_raw.orders_raw"]);
    expect(await ids("/flows/retail.supply", (f) => f.id!)).toEqual(["supply_mart.store_replenishment", "supply_ods.stock_levels"]);
    expect(await ids("/tables/retail.supply", (t) => `${t.dataset}.${t.table}`)).toEqual(["supply_mart.store_replenishment", "supply_ods.stock_levels"]);

    const raw = await flow("retail.sales", "sales_raw.orders_raw");
    expect(raw.tasks[0]).toMatchObject({ type: "sql.query", writeDisposition: "WRITE_APPEND", destinationTable: "sales_raw.orders_raw" });
    expect(raw.triggers).toEqual([{ id: "schedule", type: "schedule", cron: "15 * * * *", timezone: "Europe/Paris" }]);
    const orders = await flow("retail.sales", "sales_ods.orders");
    expect(orders.tasks[0]).toMatchObject({ writeDisposition: "MODE_DELTA", keys: ["order_id"] });
    expect(orders.triggers?.[0]?.upstream).toEqual([{ namespace: "retail.sales", flowId: "sales_raw.orders_raw" }]);
    const revenue = await flow("retail.sales", "sales_mart.daily_store_revenue");
    expect(revenue.tasks[0]).toMatchObject({ writeDisposition: "WRITE_TRUNCATE" });
    expect(revenue.triggers?.[0]?.upstream).toEqual([{ namespace: "retail.sales", flowId: "sales_ods.orders" }]);
    const view = await flow("retail.sales", "sales_mart.v_store_revenue_last_28_days");
    expect(view.tasks[0]).toMatchObject({ type: "sql.query" });
    expect(view.tasks[0]!.writeDisposition).toBeUndefined();
    const stock = await flow("retail.supply", "supply_ods.stock_levels");
    expect(stock.tasks[0]).toMatchObject({ writeDisposition: "MODE_DELTA", keys: ["store_id", "product_id"] });

    expect((await admin.get("/tables/retail.sales/sales_ods.orders")).body).toMatchObject({ feedType: "MODE_DELTA", keys: ["order_id"], version: "1.0.0", schema: { timePartitioning: { type: "DAY", field: "order_date" }, clustering: { fields: ["store_id", "customer_id"] } } });
    expect((await admin.get("/tables/retail.sales/sales_raw.orders_raw")).body).toMatchObject({ feedType: "WRITE_APPEND" });
    expect((await admin.get("/tables/retail.sales/sales_mart.daily_store_revenue")).body).toMatchObject({ feedType: "WRITE_TRUNCATE" });
    expect((await admin.get("/tables/retail.supply/supply_ods.stock_levels")).body).toMatchObject({ feedType: "MODE_DELTA", keys: ["store_id", "product_id"] });
    expect((await admin.get("/tables/retail.supply/supply_mart.store_replenishment")).body).toMatchObject({ feedType: "WRITE_TRUNCATE" });
  });

  it("supply's replenishment triggers on sales' orders flow, allowed by sales' grant", async () => {
    const replenishment = await flow("retail.supply", "supply_mart.store_replenishment");
    expect(replenishment.triggers?.[0]?.upstream).toEqual([
      { namespace: "retail.sales", flowId: "sales_ods.orders" },
      { namespace: "retail.supply", flowId: "supply_ods.stock_levels" },
    ]);
    const down = await admin.get("/flows/retail.sales/sales_ods.orders/dependencies?direction=down");
    expect(down.body.edges).toContainEqual({ from: { namespace: "retail.sales", id: "sales_ods.orders" }, to: { namespace: "retail.supply", id: "supply_mart.store_replenishment" }, kind: "trigger" });
    expect(run.summary.crossTeam).toEqual([
      {
        upstream: { namespace: "retail.sales", flowId: "sales_ods.orders" },
        downstream: { namespace: "retail.supply", flowId: "supply_mart.store_replenishment" },
        grant: expect.objectContaining({ upstreamNamespace: "retail.sales", downstreamNamespace: "retail.supply", kinds: ["trigger"] }),
      },
    ]);
  });

  it("refuses finance at terraform plan, naming the missing grant and who can create it; nothing of finance is registered", async () => {
    const finance = run.outcomes.find((o) => o.repository.name === "finance")!;
    const refusal = finance.refusal!.replace(/\s+/g, " ");
    expect(refusal).toContain("Error: Flow not allowed");
    expect(refusal).toContain("flow retail.finance/finance_mart.inventory_valuation triggers on retail.supply/supply_ods.stock_levels");
    expect(refusal).toContain("no trigger grant lets retail.finance listen to retail.supply");
    expect(refusal).toContain("a maintainer of retail.supply (team supply) can create it");
    expect((await admin.get("/flows/retail.finance")).body.items).toEqual([]);
    expect((await admin.get("/tables/retail.finance")).body.items).toEqual([]);
  });

  it("a team's key cannot write into another team's namespace, but may read it", async () => {
    const sales = admin.as(run.keys["sales-ci"]);
    const supply = admin.as(run.keys["supply-ci"]);
    const intruder = "id: intruder\nnamespace: retail.supply\ntasks:\n  - { id: hi, type: core.log, message: hi }\n";
    const put = await sales.put("/flows/retail.supply/intruder", intruder);
    expect(put.status).toBe(403);
    expect(put.body.detail).toContain("retail.supply");
    expect((await supply.put("/tables/retail.sales/sales_ods.orders", { schema: { fields: [{ name: "x", type: "STRING" }] }, feedType: "WRITE_TRUNCATE" })).status).toBe(403);
    expect((await supply.delete("/flows/retail.sales/sales_ods.orders")).status).toBe(403);
    expect((await sales.get("/flows/retail.supply/supply_ods.stock_levels")).status).toBe(200);
    expect((await admin.get("/flows/retail.supply/intruder")).status).toBe(404);
  });

  it("runs the mesh: the fired flows and every flow their triggers start end SUCCESS, the chain crossing teams", async () => {
    for (const day of run.mesh.days) {
      expect(day.incomplete, day.label).toBeUndefined();
      expect(day.landing.state).toBe("SUCCESS");
      // Read back through the API, not from what the quickstart kept: only what the quickstart
      // started carries its label; the triggered executions were started by the control plane.
      const items = (await admin.get(`/executions?namespace=retail&label=run:${day.label}`)).body.items as { namespace: string; flowId: string }[];
      expect(items.map((e) => `${e.namespace}/${e.flowId}`).sort()).toEqual(["retail.landing/landing.load", "retail.sales/sales_raw.orders_raw", "retail.supply/supply_ods.stock_levels"]);
      const byFlow = new Map<string, any>();
      for (const e of day.executions) byFlow.set(e.flowId, (await admin.get(`/executions/${e.id}`)).body);
      expect([...byFlow.values()].map((e) => [e.flowId, e.state])).toEqual([
        ["sales_raw.orders_raw", "SUCCESS"],
        ["sales_ods.orders", "SUCCESS"],
        ["sales_mart.daily_store_revenue", "SUCCESS"],
        ["supply_ods.stock_levels", "SUCCESS"],
        ["supply_mart.store_replenishment", "SUCCESS"],
      ]);
      const upstreamOf = (flowId: string) => (byFlow.get(flowId).trigger.upstream as { executionId: string; flowId: string }[]).map((u) => [u.flowId, u.executionId]);
      expect(byFlow.get("sales_raw.orders_raw").trigger.type).not.toBe("flow");
      expect(upstreamOf("sales_ods.orders")).toEqual([["sales_raw.orders_raw", byFlow.get("sales_raw.orders_raw").id]]);
      expect(upstreamOf("sales_mart.daily_store_revenue")).toEqual([["sales_ods.orders", byFlow.get("sales_ods.orders").id]]);
      // The cross-team trigger: supply's run names the sales run it came after.
      expect(upstreamOf("supply_mart.store_replenishment").sort()).toEqual(
        [
          ["sales_ods.orders", byFlow.get("sales_ods.orders").id],
          ["supply_ods.stock_levels", byFlow.get("supply_ods.stock_levels").id],
        ].sort(),
      );
      expect(Date.parse(byFlow.get("supply_mart.store_replenishment").createdAt)).toBeGreaterThanOrEqual(Date.parse(byFlow.get("sales_ods.orders").endedAt));
    }
  });

  it("day 1 inserts the landed orders; day 2 appends only the late refunds and MERGE updates orders", async () => {
    const outputs = async (label: string, flowId: string) => {
      const e = run.mesh.days.find((d) => d.label === label)!.executions.find((x) => x.flowId === flowId)!;
      return (await admin.get(`/executions/${e.id}`)).body.taskRuns[0].outputs as { rowsInserted: number; rowsUpdated: number };
    };
    expect(await outputs("day-1", "sales_raw.orders_raw")).toMatchObject({ rowsInserted: ORDER_COUNT, rowsUpdated: 0 });
    expect(await outputs("day-1", "sales_ods.orders")).toMatchObject({ rowsInserted: ORDER_COUNT, rowsUpdated: 0 });
    expect(await outputs("day-1", "supply_ods.stock_levels")).toMatchObject({ rowsInserted: 18, rowsUpdated: 0 });
    expect(await outputs("day-1", "supply_mart.store_replenishment")).toMatchObject({ rowsInserted: 18 });
    expect(await outputs("day-2", "sales_raw.orders_raw")).toMatchObject({ rowsInserted: REFUND_COUNT, rowsUpdated: 0 });
    const merged = await outputs("day-2", "sales_ods.orders");
    expect(merged.rowsInserted).toBe(0);
    expect(merged.rowsUpdated).toBeGreaterThan(0);

    // What the tables hold now, asked of the warehouse through a flow run by the admin.
    const refunded = refundedOrders(run.mesh.days[1]!.data);
    const check = `id: quickstart.check\nnamespace: retail\ntasks:\n  - id: q\n    type: sql.query\n    sql: SELECT status, COUNT(*) AS n, MIN(order_id) AS first FROM sales_ods.orders GROUP BY status ORDER BY status\n  - id: r\n    type: sql.query\n    sql: SELECT order_id FROM sales_ods.orders WHERE status = 'REFUNDED' ORDER BY order_id\n`;
    expect((await admin.put("/flows/retail/quickstart.check", check)).status).toBeLessThan(300);
    const e = (await admin.post("/executions/retail/quickstart.check?wait=true", {})).body;
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
    const q = e.taskRuns.find((t: any) => t.taskId === "q").outputs.rows as { status: string; n: string | number }[];
    expect(q.map((r) => [r.status, Number(r.n)])).toEqual([
      ["PAID", ORDER_COUNT - REFUND_COUNT],
      ["REFUNDED", REFUND_COUNT],
    ]);
    expect(e.taskRuns.find((t: any) => t.taskId === "r").outputs.rows.map((r: { order_id: string }) => r.order_id)).toEqual([...refunded].sort());
  });

  it("run again as a command on the same data: every plan reports no changes, and no process is left", async () => {
    await run.controlPlane.stop();
    expect(processesMentioning(dataDir)).toEqual([]);

    const env: NodeJS.ProcessEnv = { ...process.env, MESHPLANE_DATA_DIR: dataDir, MESHPLANE_PORT: "0" };
    delete env["CI"];
    const second = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "--once"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(second.code, second.stderr).toBe(0);
    for (const name of ["platform", "sales", "supply"]) expect(second.stdout).toMatch(new RegExp(`^  ${name} .*No changes`, "m"));
    expect(second.stdout).toMatch(/^  finance .*plan refused/m);
    // Terraform wraps the diagnostic; the quickstart prefixes it with │.
    expect(second.stdout.replace(/\s*│\s*/g, " ").replace(/\s+/g, " ")).toContain("no trigger grant lets retail.finance listen to retail.supply");
    expect(second.stdout).toContain("Stopped (--once)");
    expect(processesMentioning(dataDir)).toEqual([]);
  });
});
