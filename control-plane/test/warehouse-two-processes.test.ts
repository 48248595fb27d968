/**
 * The DuckDB file with two processes (issue 12, SPEC §10): `meshplane serve` opens
 * `<data dir>/warehouse.duckdb` and owns it; a `meshplane worker` on the same PostgreSQL
 * never opens a DuckDB file — here one started with a data dir of its own, the case that
 * would otherwise split the warehouse into two files — so it runs without a warehouse and
 * never claims a sql.query run (claim-task-runs.sql). Every sql.query run lands on the owner, the other
 * tasks on either; a third process opening the file directly is refused naming the lock
 * and its holder; after both stop the file holds exactly the rows written.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbWarehouse, WarehouseFileHeld } from "../src/warehouse/duckdb/duckdb-warehouse.ts";
import { ApiClient } from "./support/client.ts";
import { untilExecution } from "./support/executions.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { startWorker, type TestWorker } from "./support/worker.ts";

const NS = "retail.sales";
const ROUNDS = 8;
let pg: ExternalPostgres;
let url: string;
let dataDir: string;
let workerDataDir: string;
let owner: TestServer;
let worker: TestWorker;
let admin: ApiClient;
const adminKey = `mp_${randomBytes(32).toString("base64url")}`;

beforeAll(async () => {
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_two_processes");
  dataDir = mkdtempSync(join(tmpdir(), "meshplane-two-"));
  // The owner has one slot and the worker four: the worker takes its share of the other tasks.
  owner = await startServer({ dataDir, keepDataDir: true, env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_ADMIN_API_KEY: adminKey, MESHPLANE_WORKER_CONCURRENCY: "1" } });
  workerDataDir = mkdtempSync(join(tmpdir(), "meshplane-two-worker-"));
  worker = await startWorker(url, { MESHPLANE_DATA_DIR: workerDataDir, MESHPLANE_WORKER_CONCURRENCY: "4" });
  admin = new ApiClient(owner.api, adminKey);
  expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: NS, ownerTeam: "sales" })).status).toBe(201);
  const contract = await admin.put(`/tables/${NS}/retail_sales.orders`, {
    schema: [
      { name: "id", type: "INTEGER", mode: "REQUIRED" },
      { name: "amount", type: "NUMERIC" },
    ],
    feedType: "MODE_DELTA",
    keys: ["id"],
  });
  expect(contract.status, JSON.stringify(contract.body)).toBe(201);
});
afterAll(async () => {
  await worker?.stop("SIGKILL").catch(() => undefined);
  await owner?.stop();
  await pg?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (workerDataDir) rmSync(workerDataDir, { recursive: true, force: true });
});

const ownerId = () => `${hostname()}:${owner.process.pid}`;
const WAREHOUSE_TASKS = new Set(["delta", "append"]);

/** One flow per round: logs around a MERGE of two keys and an append of one row. */
function roundFlow(i: number): string {
  const task = (id: string, body: string) => `  - id: ${id}\n${body}`;
  return [
    `id: round${i}`,
    `namespace: ${NS}`,
    "tasks:",
    task("before", `    type: core.log\n    message: round ${i} begins\n`),
    task("delta", `    type: sql.query\n    destinationTable: retail_sales.orders\n    writeDisposition: MODE_DELTA\n    keys: [id]\n    sql: "SELECT ${i * 10 + 1} AS id, CAST(${i}.5 AS NUMERIC) AS amount UNION ALL SELECT ${i * 10 + 2}, CAST(${i}.25 AS NUMERIC)"\n`),
    task("append", `    type: sql.query\n    destinationTable: retail_sales.events\n    writeDisposition: WRITE_APPEND\n    sql: "SELECT ${i} AS round, 'done' AS note"\n`),
    task("after", `    type: core.log\n    message: round ${i} ends\n`),
  ].join("\n");
}

async function runFlow(id: string, source: string): Promise<any> {
  const put = await admin.put(`/flows/${NS}/${id}`, source);
  expect([200, 201], JSON.stringify(put.body)).toContain(put.status);
  const started = await admin.post(`/executions/${NS}/${id}`, {});
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.id as string;
}

describe("the DuckDB file with serve + meshplane worker", () => {
  it("routes every sql.query run to the owner, the other tasks to either, and all executions succeed", async () => {
    const ids = [];
    for (let i = 1; i <= ROUNDS; i++) ids.push(await runFlow(`round${i}`, roundFlow(i)));
    const ended = await Promise.all(ids.map((id) => untilExecution(admin, id, undefined, 50_000)));
    for (const e of ended) expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");

    const runs = await pg.query<{ task_id: string; worker_id: string; state: string; outputs: any }>(
      "SELECT task_id, worker_id, state, outputs FROM task_runs WHERE execution_id = ANY($1::uuid[])",
      [ids],
      url,
    );
    expect(runs).toHaveLength(ROUNDS * 4);
    const onOwner = runs.filter((r) => r.worker_id === ownerId());
    const onWorker = runs.filter((r) => r.worker_id === worker.workerId);
    expect(onOwner.length + onWorker.length, JSON.stringify(runs.map((r) => r.worker_id))).toBe(runs.length);
    // The heart of it: the process without the file never ran a warehouse task…
    expect(onWorker.filter((r) => WAREHOUSE_TASKS.has(r.task_id))).toEqual([]);
    expect(onOwner.filter((r) => WAREHOUSE_TASKS.has(r.task_id))).toHaveLength(ROUNDS * 2);
    // …but it did work: the routing is by task, not a worker that sat idle.
    expect(onWorker.length, "the worker process ran none of the core.log runs").toBeGreaterThan(0);
    for (const r of runs.filter((r) => r.task_id === "delta")) expect(r.outputs).toMatchObject({ rowsInserted: 2, rowsUpdated: 0 });
    for (const r of runs.filter((r) => r.task_id === "append")) expect(r.outputs).toMatchObject({ rowsInserted: 1 });
  });

  it("refuses a third process opening the file directly, naming the lock and its holder; the owner's data is intact", async () => {
    const path = join(dataDir, "warehouse.duckdb");
    const refused = await DuckDbWarehouse.open(path).then(
      (w) => w.close().then(() => undefined),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(WarehouseFileHeld);
    expect((refused as Error).message).toMatch(new RegExp(`warehouse file ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is locked by another process \\(PID ${owner.process.pid}\\), which owns it`));
    expect((refused as Error).message).toMatch(/Send warehouse work to that process/);
    // Not even read-only (DuckDB's own refusal, naming the lock).
    await expect(DuckDBInstance.create(path, { access_mode: "READ_ONLY" })).rejects.toThrow(/Could not set lock on file/);

    // The owner goes on writing: a MODE_DELTA updating one key and inserting one.
    const id = await runFlow(
      "late",
      `id: late\nnamespace: ${NS}\ntasks:\n  - id: delta\n    type: sql.query\n    destinationTable: retail_sales.orders\n    writeDisposition: MODE_DELTA\n    keys: [id]\n    sql: "SELECT 11 AS id, CAST(99.5 AS NUMERIC) AS amount UNION ALL SELECT 1000, CAST(1 AS NUMERIC)"\n`,
    );
    const e = await untilExecution(admin, id, undefined, 50_000);
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
    expect(e.taskRuns[0].outputs).toMatchObject({ rowsInserted: 1, rowsUpdated: 1 });
    const preview = await admin.get(`/tables/${NS}/retail_sales.orders/rows?limit=1000`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows).toHaveLength(ROUNDS * 2 + 1);
  });

  it("after both processes stop, the file opens and holds exactly the rows written", async () => {
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    // The worker made no warehouse of its own: there is one DuckDB file, the owner's.
    expect(existsSync(join(workerDataDir, "warehouse.duckdb"))).toBe(false);
    expect(await owner.stop()).toBe(0);
    const wh = await DuckDbWarehouse.open(join(dataDir, "warehouse.duckdb"));
    try {
      const orders = (await wh.preview({ dataset: "retail_sales", table: "orders" }, 1000)).rows.map((r) => [Number(r["id"]), Number(r["amount"])]);
      const expected: [number, number][] = [[1000, 1]];
      for (let i = 1; i <= ROUNDS; i++) expected.push([i * 10 + 1, i === 1 ? 99.5 : i + 0.5], [i * 10 + 2, i + 0.25]);
      expect(orders.sort((a, b) => a[0]! - b[0]!)).toEqual(expected.sort((a, b) => a[0]! - b[0]!));
      const events = (await wh.preview({ dataset: "retail_sales", table: "events" }, 1000)).rows.map((r) => `${r["round"]}:${r["note"]}`);
      expect(events.sort()).toEqual(Array.from({ length: ROUNDS }, (_, i) => `${i + 1}:done`).sort());
    } finally {
      await wh.close();
    }
  });
});
