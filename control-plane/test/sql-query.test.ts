/**
 * sql.query on the embedded DuckDB warehouse (SPEC §10, issue 12): a real `meshplane
 * serve` (its workers own `<data dir>/warehouse.duckdb`) driven over HTTP — feed types,
 * MERGE counts, duplicate keys, the contract gate, rows iterated by core.foreach, kill.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./support/client.ts";
import { untilExecution } from "./support/executions.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;
const NS = "retail.sales";

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: NS, ownerTeam: "sales" })).status).toBe(201);
  const contract = await admin.put(`/tables/${NS}/retail_sales.orders`, {
    schema: [
      { name: "id", type: "INTEGER", mode: "REQUIRED" },
      { name: "store", type: "STRING" },
      { name: "amount", type: "NUMERIC" },
    ],
    feedType: "MODE_DELTA",
    keys: ["id"],
  });
  expect(contract.status, JSON.stringify(contract.body)).toBe(201);
});
afterAll(async () => {
  await server?.stop();
});

let n = 0;
/** Runs a one-task flow and answers the ended execution and that task's run. */
async function flow(tasks: string): Promise<{ e: any; q: any; logs: string[] }> {
  const id = `f${++n}`;
  const put = await admin.put(`/flows/${NS}/${id}`, `id: ${id}\nnamespace: ${NS}\ntasks:\n${tasks}`);
  expect([200, 201], JSON.stringify(put.body)).toContain(put.status);
  const started = await admin.post(`/executions/${NS}/${id}`, {});
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const e = await untilExecution(admin, started.body.id);
  const logs = (await admin.get(`/executions/${e.id}/logs?limit=500`)).body.items.map((l: any) => l.message);
  return { e, q: e.taskRuns.find((r: any) => r.taskId === "q"), logs };
}

const query = (sql: string, extra = "") => `  - id: q\n    type: sql.query\n    sql: ${JSON.stringify(sql)}\n${extra}`;
async function select(sql: string): Promise<any[]> {
  const { e, q } = await flow(query(sql));
  expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
  return q.outputs.rows;
}

describe("sql.query on DuckDB", () => {
  it("appends, then truncates, a table without contract (created from the result)", async () => {
    const append = await flow(query("SELECT 1 AS id, 'a' AS v UNION ALL SELECT 2, 'b'", "    destinationTable: scratch.plain\n    writeDisposition: WRITE_APPEND\n"));
    expect(append.e.state, JSON.stringify(append.e.taskRuns)).toBe("SUCCESS");
    expect(append.q.outputs).toMatchObject({ rowsInserted: 2, rowsUpdated: 0, rowsDeleted: 0 });
    expect(append.q.outputs.durationMs).toBeTypeOf("number");
    await flow(query("SELECT 3 AS id, 'c' AS v", "    destinationTable: acme-shop.scratch.plain\n    writeDisposition: WRITE_APPEND\n"));
    expect(await select("SELECT count(*) AS n FROM `scratch.plain`")).toEqual([{ n: "3" }]);
    const truncate = await flow(query("SELECT 9 AS id, 'z' AS v", "    destinationTable: scratch.plain\n    writeDisposition: WRITE_TRUNCATE\n"));
    expect(truncate.q.outputs).toMatchObject({ rowsInserted: 1, rowsDeleted: 3 });
    expect(await select("SELECT id, v FROM `acme-shop.scratch.plain`")).toEqual([{ id: 9, v: "z" }]);
  });

  it("merges (MODE_DELTA from the contract) with inserted/updated counts", async () => {
    const first = await flow(query("SELECT 1 AS id, 'north' AS store, 10.5 AS amount UNION ALL SELECT 2, 'south', 20", "    destinationTable: retail_sales.orders\n"));
    expect(first.e.state, JSON.stringify(first.e.taskRuns)).toBe("SUCCESS");
    expect(first.q.outputs).toMatchObject({ rowsInserted: 2, rowsUpdated: 0 });
    const second = await flow(query("SELECT 2 AS id, 'south' AS store, 25 AS amount UNION ALL SELECT 3, 'north', 5", "    destinationTable: retail_sales.orders\n    writeDisposition: MODE_DELTA\n    keys: [id]\n"));
    expect(second.q.outputs).toMatchObject({ rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 0 });
    expect(await select("SELECT id, amount FROM `retail_sales.orders` ORDER BY id")).toEqual([
      { id: "1", amount: "10.500000000" }, { id: "2", amount: "25.000000000" }, { id: "3", amount: "5.000000000" },
    ]);
  });

  it("fails on duplicate MERGE keys and on contract mismatches, naming the key or column, writing nothing", async () => {
    const cases: [string, RegExp][] = [
      ["SELECT 7 AS id, 'x' AS store, 1 AS amount UNION ALL SELECT 7, 'y', 2", /2 rows with id = "?7"?; keys must be unique/],
      ["SELECT 7 AS id, 'x' AS store", /no column amount, which the contract of retail_sales.orders/],
      ["SELECT 7 AS id, 42 AS store, 1 AS amount", /column store of the result is INTEGER, but the contract .* declares STRING/],
      ["SELECT CAST(NULL AS BIGINT) AS id, 'x' AS store, 1 AS amount", /column id is REQUIRED .* NULL there: nothing was written/],
    ];
    for (const [sql, message] of cases) {
      const { e, q } = await flow(query(sql, "    destinationTable: retail_sales.orders\n"));
      expect(e.state).toBe("FAILED");
      expect(q.error).toMatch(message);
    }
    expect(await select("SELECT count(*) AS n FROM `retail_sales.orders`")).toEqual([{ n: "3" }]);
  });

  it("hands its rows to a core.foreach ({{ outputs.q.rows }}) and runs a CREATE VIEW", async () => {
    const { e, logs } = await flow(`${query("SELECT store, sum(amount) AS total FROM `retail_sales.orders` GROUP BY store ORDER BY store")}  - id: each
    type: core.foreach
    values: "{{ outputs.q.rows }}"
    tasks:
      - { id: mail, type: core.log, message: "store {{ taskrun.value.store }} total {{ taskrun.value.total }}" }
  - id: view
    type: sql.query
    sql: CREATE OR REPLACE VIEW retail_sales.by_store AS SELECT store FROM retail_sales.orders
`);
    expect(e.state, JSON.stringify(e.taskRuns)).toBe("SUCCESS");
    const q = e.taskRuns.find((r: any) => r.taskId === "q");
    expect(q.outputs.columns.map((c: any) => `${c.name}:${c.type}`)).toEqual(["store:STRING", "total:NUMERIC"]);
    expect(q.outputs.rowsTruncated).toBe(false);
    expect(logs).toContain("store north total 15.500000000");
    expect(logs).toContain("store south total 25.000000000");
    expect(await select("SELECT count(*) AS n FROM retail_sales.by_store")).toEqual([{ n: "3" }]);
  });

  it("kill and timeout interrupt a long query", async () => {
    const long = "SELECT count(*) AS n FROM range(100000000000) a(x) WHERE x % 7 = 3";
    const timed = await flow(query(long, "    timeout: PT1S\n"));
    expect(timed.e.state).toBe("FAILED");
    expect(timed.q.error).toMatch(/timed out after PT1S/);

    const put = await admin.put(`/flows/${NS}/longq`, `id: longq\nnamespace: ${NS}\ntasks:\n${query(long)}`);
    expect([200, 201]).toContain(put.status);
    const started = await admin.post(`/executions/${NS}/longq`, {});
    await untilExecution(admin, started.body.id, (e) => e.taskRuns.some((r: any) => r.taskId === "q" && r.state === "RUNNING"));
    expect((await admin.post(`/executions/${started.body.id}/kill`)).status).toBe(202);
    expect((await untilExecution(admin, started.body.id)).state).toBe("KILLED");
    // The warehouse is free again: the interrupted statements no longer hold it.
    expect(await select("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("writes one day through a partition decorator (table$YYYYMMDD): the contract is the table's, other days kept", async () => {
    const daily = await admin.put(`/tables/${NS}/retail_sales.daily`, {
      schema: { schema: { fields: [{ name: "day", type: "DATE", mode: "REQUIRED" }, { name: "total", type: "INTEGER" }] }, timePartitioning: { type: "DAY", field: "day" } },
      feedType: "WRITE_TRUNCATE",
    });
    expect(daily.status, JSON.stringify(daily.body)).toBe(201);
    const seed = await flow(query("SELECT DATE '2026-01-01' AS day, 1 AS total UNION ALL SELECT DATE '2026-01-02', 2", "    destinationTable: retail_sales.daily\n    writeDisposition: WRITE_APPEND\n"));
    expect(seed.e.state, JSON.stringify(seed.e.taskRuns)).toBe("SUCCESS");
    // No writeDisposition: the contract's WRITE_TRUNCATE, confined to the day.
    const day = await flow(query("SELECT DATE '2026-01-02' AS day, 20 AS total", "    destinationTable: retail_sales.daily$20260102\n"));
    expect(day.e.state, JSON.stringify(day.e.taskRuns)).toBe("SUCCESS");
    expect(day.q.outputs).toMatchObject({ rowsInserted: 1, rowsDeleted: 1 });
    expect(await select("SELECT CAST(day AS STRING) AS day, total FROM retail_sales.daily ORDER BY day")).toEqual([{ day: "2026-01-01", total: "1" }, { day: "2026-01-02", total: "20" }]);
    // The contract gate is the table's too: a column of another type fails, naming it.
    const wrong = await flow(query("SELECT DATE '2026-01-02' AS day, 'x' AS total", "    destinationTable: retail_sales.daily$20260102\n"));
    expect(wrong.e.state).toBe("FAILED");
    expect(wrong.q.error).toMatch(/column total of the result is STRING, but the contract/);
    const outside = await flow(query("SELECT DATE '2026-01-03' AS day, 3 AS total", "    destinationTable: retail_sales.daily$20260102\n"));
    expect(outside.q.error).toMatch(/a row of the result has day = 2026-01-03, outside the partition \$20260102 of retail_sales.daily/);
  });

  it("refuses at validate and PUT a decorator that is not a day, or a MERGE into one, naming it and what to do", async () => {
    const cases: [string, string, RegExp][] = [
      ["    destinationTable: retail_sales.daily$2026010112\n", "/tasks/0/destinationTable", /partition decorator \$2026010112 is not supported: only day decorators \$YYYYMMDD/],
      ["    destinationTable: retail_sales.daily$20261301\n", "/tasks/0/destinationTable", /\$20261301 is not a calendar day/],
      ["    destinationTable: retail_sales.daily$20260101\n    writeDisposition: MODE_DELTA\n    keys: [day]\n", "/tasks/0/writeDisposition", /MODE_DELTA cannot target a partition decorator/],
    ];
    for (const [extra, pointer, message] of cases) {
      const source = `id: deco\nnamespace: ${NS}\ntasks:\n${query("SELECT 1 AS x", extra)}`;
      const check = await admin.post("/flows/validate", source);
      expect(check.body.valid, JSON.stringify(check.body)).toBe(false);
      expect(check.body.problems).toEqual([expect.objectContaining({ pointer, message: expect.stringMatching(message) })]);
      const put = await admin.put(`/flows/${NS}/deco`, source);
      expect(put.status, JSON.stringify(put.body)).toBe(400);
      expect(JSON.stringify(put.body)).toMatch(message);
    }
  });
});
