/**
 * The BigQuery adapter (SPEC §10, issue 12) driven through the REAL `@google-cloud/bigquery`
 * client library, pointed (`apiEndpoint`) at a FAKE BigQuery HTTP endpoint of ours
 * (test/support/fake-bigquery.ts) that records every request and answers scripted results.
 *
 * What this proves: the REST requests the adapter makes the library send (job
 * configuration per feed type, destinationTable, write/create dispositions, labels, the
 * MERGE text, dry runs for the contract gate, tables.insert/patch/delete, jobs.cancel),
 * how it reads BigQuery's answers (rows in f/v form, dmlStats, bytes processed), and which
 * errors it retries.
 *
 * What the fake CANNOT prove: that BigQuery accepts the SQL or the MERGE and gives it the
 * meaning we expect (no SQL runs here), IAM and permissions, quotas and real rate limits,
 * the exact shapes of errors beyond those BigQuery documents (reasons and messages are
 * copied from its documentation), the row count a real job's query plan reports for a
 * destination write, long-running job timing, and authentication (the token is fake).
 */
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { createBigQueryWarehouse } from "../src/warehouse/bigquery/bigquery-warehouse.ts";
import { bigQueryWarehouseFromConfig } from "../src/warehouse/bigquery/from-config.ts";
import { WarehouseError, type QueryRequest, type TableContractView, type Warehouse } from "../src/warehouse/warehouse.ts";
import { startFakeBigQuery, type FakeBigQuery } from "./support/fake-bigquery.ts";

let fake: FakeBigQuery;
let warehouse: Warehouse;
const logs: string[] = [];

function fakeAuth(): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "fake-token-for-the-fake-bigquery", expiry_date: Date.now() + 3_600_000 });
  return auth;
}

beforeAll(async () => {
  fake = await startFakeBigQuery();
  warehouse = createBigQueryWarehouse({
    projectId: "acme-data",
    location: "EU",
    apiEndpoint: fake.url,
    authClient: fakeAuth(),
    retry: { maxAttempts: 3, initialDelayMs: 1 },
    pollIntervalMs: 5,
  });
});

afterAll(async () => {
  await warehouse.close();
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  logs.length = 0;
});

const ORDERS: TableContractView = {
  namespace: "retail.sales",
  dataset: "sales",
  table: "orders",
  version: "1.2.0",
  feedType: "MODE_DELTA",
  keys: ["order_id"],
  schema: {
    fields: [
      { name: "order_id", type: "STRING", mode: "REQUIRED" },
      { name: "amount", type: "NUMERIC", mode: "NULLABLE" },
      { name: "lines", type: "RECORD", mode: "REPEATED", fields: [{ name: "sku", type: "STRING", mode: "NULLABLE" }] },
    ],
    timePartitioning: { type: "DAY", field: "day" },
    clustering: { fields: ["order_id"] },
  },
};
const ORDERS_RESULT = [
  { name: "order_id", type: "STRING", mode: "NULLABLE" },
  { name: "amount", type: "NUMERIC", mode: "NULLABLE" },
  { name: "lines", type: "RECORD", mode: "REPEATED", fields: [{ name: "sku", type: "STRING" }] },
];

function request(overrides: Partial<QueryRequest> = {}): QueryRequest {
  return {
    sql: "SELECT 1 AS x",
    labels: { "meshplane-execution": "EXEC_01HZX-Y", "meshplane-flow": "Retail.Sales/Daily Orders" },
    signal: new AbortController().signal,
    maxRows: 100,
    log: (level, message) => logs.push(`${level} ${message}`),
    ...overrides,
  };
}

const jobInserts = () => fake.calls("POST", /^\/projects\/[^/]+\/jobs$/);
const realInserts = () => jobInserts().filter((r) => r.body.configuration.dryRun !== true);

describe("query jobs per feed type", () => {
  it("WRITE_APPEND: a query job into the destination table, in the destination's project, labelled with the execution", async () => {
    fake.onQuery = () => ({ totalBytesProcessed: 123456, recordsWritten: 42 });
    const result = await warehouse.query(
      request({ sql: "SELECT * FROM `shop-ods.pos.tx`", destination: { table: { project: "acme-shop", dataset: "sales", table: "tx" }, disposition: "WRITE_APPEND" } }),
    );
    const [insert] = realInserts();
    expect(insert!.path).toBe("/projects/acme-shop/jobs");
    expect(insert!.authorization).toBe("Bearer fake-token-for-the-fake-bigquery");
    expect(insert!.body.jobReference).toMatchObject({ projectId: "acme-shop", location: "EU" });
    expect(insert!.body.jobReference.jobId).toMatch(/^meshplane_/);
    expect(insert!.body.configuration.query).toMatchObject({
      query: "SELECT * FROM `shop-ods.pos.tx`",
      useLegacySql: false,
      destinationTable: { projectId: "acme-shop", datasetId: "sales", tableId: "tx" },
      writeDisposition: "WRITE_APPEND",
      createDisposition: "CREATE_IF_NEEDED",
    });
    expect(insert!.body.configuration.labels).toEqual({ "meshplane-execution": "exec_01hzx-y", "meshplane-flow": "retail_sales_daily_orders" });
    expect(result).toMatchObject({ rowsInserted: 42, rowsUpdated: 0, rowsDeleted: 0, bytesProcessed: 123456, jobId: insert!.body.jobReference.jobId });
  });

  it("WRITE_TRUNCATE without a project: the job runs in the configured project, truncating", async () => {
    await warehouse.query(request({ destination: { table: { dataset: "sales", table: "daily$20260101" }, disposition: "WRITE_TRUNCATE" } }));
    const [insert] = realInserts();
    expect(insert!.path).toBe("/projects/acme-data/jobs");
    expect(insert!.body.configuration.query).toMatchObject({
      destinationTable: { projectId: "acme-data", datasetId: "sales", tableId: "daily$20260101" },
      writeDisposition: "WRITE_TRUNCATE",
    });
  });

  it("a day decorator with a contract: the gate's dry run, then the decorated tableId (BigQuery confines the write to that day); MODE_DELTA into one refused before any job", async () => {
    fake.onQuery = ({ dryRun }) => (dryRun ? { schema: ORDERS_RESULT } : { totalBytesProcessed: 10 });
    await warehouse.query(request({ destination: { table: { dataset: "sales", table: "orders$20260101" }, disposition: "WRITE_TRUNCATE", contract: ORDERS } }));
    expect(jobInserts().map((r) => r.body.configuration.dryRun ?? false)).toEqual([true, false]);
    expect(realInserts()[0]!.body.configuration.query).toMatchObject({
      destinationTable: { projectId: "acme-data", datasetId: "sales", tableId: "orders$20260101" },
      writeDisposition: "WRITE_TRUNCATE",
      createDisposition: "CREATE_NEVER",
    });
    fake.reset();
    await expect(warehouse.query(request({ destination: { table: { dataset: "sales", table: "orders$20260101" }, disposition: "MODE_DELTA", keys: ["order_id"] } }))).rejects.toThrow(
      /sales\.orders\$20260101`: MODE_DELTA cannot target a partition decorator .* name the table without \$/,
    );
    expect(jobInserts()).toEqual([]);
  });

  it("MODE_DELTA: a MERGE on the keys with the contract's columns, counts from dmlStats, after a dry run of the source", async () => {
    fake.onQuery = ({ dryRun }) => (dryRun ? { schema: ORDERS_RESULT } : { dmlStats: { insertedRowCount: 3, updatedRowCount: 2 }, totalBytesProcessed: 999 });
    const result = await warehouse.query(
      request({ sql: "SELECT order_id, amount, lines FROM src;", destination: { table: { dataset: "sales", table: "orders" }, disposition: "MODE_DELTA", contract: ORDERS } }),
    );
    const inserts = jobInserts();
    expect(inserts.map((r) => r.body.configuration.dryRun ?? false)).toEqual([true, false]);
    expect(inserts[0]!.body.configuration.query.query).toBe("SELECT order_id, amount, lines FROM src;");
    const merge = inserts[1]!.body.configuration;
    expect(merge.query.destinationTable).toBeUndefined();
    expect(merge.query.query).toBe(
      "MERGE `acme-data.sales.orders` T\nUSING (\nSELECT order_id, amount, lines FROM src\n) S\nON T.`order_id` = S.`order_id`\n" +
        "WHEN MATCHED THEN UPDATE SET `amount` = S.`amount`, `lines` = S.`lines`\nWHEN NOT MATCHED THEN INSERT ROW",
    );
    expect(merge.labels["meshplane-execution"]).toBe("exec_01hzx-y");
    expect(result).toMatchObject({ rowsInserted: 3, rowsUpdated: 2, rowsDeleted: 0, bytesProcessed: 999 });
  });

  it("MODE_DELTA without a contract takes its column list from the dry run; several keys are ANDed", async () => {
    fake.onQuery = ({ dryRun }) => (dryRun ? { schema: [{ name: "store", type: "STRING" }, { name: "day", type: "DATE" }, { name: "qty", type: "INTEGER" }] } : {});
    await warehouse.query(request({ destination: { table: { dataset: "supply", table: "stock" }, disposition: "MODE_DELTA", keys: ["store", "day"] } }));
    expect(realInserts()[0]!.body.configuration.query.query).toContain("ON T.`store` = S.`store` AND T.`day` = S.`day`\nWHEN MATCHED THEN UPDATE SET `qty` = S.`qty`\n");
  });

  it("MODE_DELTA: duplicate keys in the source fail with BigQuery's error explained, naming the keys", async () => {
    fake.onQuery = ({ dryRun }) =>
      dryRun
        ? { schema: ORDERS_RESULT }
        : { error: { reason: "invalidQuery", message: "UPDATE/MERGE must match at most one source row for each target row" } };
    const error = await warehouse
      .query(request({ destination: { table: { dataset: "sales", table: "orders" }, disposition: "MODE_DELTA", contract: ORDERS } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).message).toMatch(/more than one row for the same key \(order_id\).*deduplicate/);
    expect((error as WarehouseError).retryable).toBe(false);
    expect(realInserts()).toHaveLength(1);
  });

  it("MODE_DELTA without keys is refused before any job", async () => {
    await expect(warehouse.query(request({ destination: { table: { dataset: "s", table: "t" }, disposition: "MODE_DELTA" } }))).rejects.toThrow(/needs keys/);
    expect(jobInserts()).toHaveLength(0);
  });
});

describe("a query without destination", () => {
  it("returns its rows as JSON values (up to maxRows) and its columns", async () => {
    fake.onQuery = () => ({
      schema: [
        { name: "store", type: "STRING", mode: "NULLABLE" },
        { name: "n", type: "INTEGER", mode: "NULLABLE" },
        { name: "big", type: "INTEGER", mode: "NULLABLE" },
        { name: "amount", type: "NUMERIC", mode: "NULLABLE" },
        { name: "open", type: "BOOLEAN", mode: "NULLABLE" },
        { name: "at", type: "TIMESTAMP", mode: "NULLABLE" },
        { name: "tags", type: "STRING", mode: "REPEATED" },
        { name: "addr", type: "RECORD", mode: "NULLABLE", fields: [{ name: "city", type: "STRING", mode: "NULLABLE" }] },
      ],
      rows: [
        { store: "north", n: 1, big: "9007199254740993", amount: "1.50", open: true, at: "1767225600000001", tags: ["a", "b"], addr: { city: "Lyon" } },
        { store: "south", n: null, big: "2", amount: "0", open: false, at: null, tags: [], addr: null },
        { store: "east", n: 3, big: "3", amount: "3", open: true, at: null, tags: [], addr: null },
      ],
      totalBytesProcessed: 10,
    });
    const result = await warehouse.query(request({ sql: "SELECT store FROM t", maxRows: 2 }));
    expect(result.rows).toEqual([
      { store: "north", n: 1, big: "9007199254740993", amount: "1.50", open: true, at: "2026-01-01T00:00:00.000001Z", tags: ["a", "b"], addr: { city: "Lyon" } },
      { store: "south", n: null, big: 2, amount: "0", open: false, at: null, tags: [], addr: null },
    ]);
    expect(result.rowsTruncated).toBe(true);
    expect(result.columns?.[7]).toEqual({ name: "addr", type: "RECORD", mode: "NULLABLE", fields: [{ name: "city", type: "STRING", mode: "NULLABLE" }] });
    expect(result.bytesProcessed).toBe(10);
    const [results] = fake.calls("GET", /^\/projects\/acme-data\/queries\//);
    expect(results!.query["maxResults"]).toBe("2");
    expect(realInserts()[0]!.body.configuration.query.destinationTable).toBeUndefined();
  });
});

describe("retries", () => {
  for (const failure of [
    { reason: "rateLimitExceeded", message: "Exceeded rate limits: too many table update operations for this table" },
    { reason: "backendError", message: "Backend error. Job aborted." },
    { reason: "internalError", message: "An internal error occurred and the request could not be completed." },
    { reason: "invalidQuery", message: "Could not serialize access to table acme-data:sales.orders due to concurrent update" },
  ]) {
    it(`a job failing with ${failure.reason}${failure.reason === "invalidQuery" ? " (concurrent update)" : ""} is retried as a new job`, async () => {
      fake.onQuery = ({ attempt }) => (attempt < 3 ? { error: failure } : { recordsWritten: 5 });
      const result = await warehouse.query(request({ destination: { table: { dataset: "sales", table: "t" }, disposition: "WRITE_APPEND" } }));
      const ids = realInserts().map((r) => r.body.jobReference.jobId);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
      expect(result.rowsInserted).toBe(5);
      expect(logs.filter((l) => l.startsWith("WARN") && l.includes("retrying"))).toHaveLength(2);
    });
  }

  it("an HTTP 503 backendError of jobs.insert is retried too", async () => {
    fake.onQuery = ({ attempt }) => (attempt === 1 ? { insertError: { httpStatus: 503, reason: "backendError", message: "Backend Error" } } : {});
    await warehouse.query(request());
    expect(jobInserts()).toHaveLength(2);
    // Our retry, not the library's (its autoRetry is off): the adapter logs each one.
    expect(logs.filter((l) => l.startsWith("WARN") && l.includes("Backend Error (backendError); retrying"))).toHaveLength(1);
  });

  it("gives up after maxAttempts with a retryable error", async () => {
    fake.onQuery = () => ({ error: { reason: "backendError", message: "Backend error. Job aborted." } });
    const error = (await warehouse.query(request()).catch((e: unknown) => e)) as WarehouseError;
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error.message).toMatch(/^BigQuery: Backend error\. Job aborted\. \(backendError, job meshplane_/);
    expect(error.retryable).toBe(true);
    expect(realInserts()).toHaveLength(3);
  });

  for (const failure of [
    { reason: "invalidQuery", message: "Syntax error: Unexpected keyword FROM at [1:8]" },
    { reason: "accessDenied", message: "Access Denied: Table acme-data:sales.t: User does not have permission" },
    { reason: "quotaExceeded", message: "Quota exceeded: Your project exceeded quota for free query bytes scanned" },
  ]) {
    it(`${failure.reason} fails at once with BigQuery's message`, async () => {
      fake.onQuery = () => ({ error: failure });
      const error = (await warehouse.query(request()).catch((e: unknown) => e)) as WarehouseError;
      expect(error.message).toContain(failure.message);
      expect(error.retryable).toBe(false);
      expect(realInserts()).toHaveLength(1);
    });
  }
});

describe("cancellation", () => {
  it("the signal aborting cancels the running job (jobs.cancel) and fails the query", async () => {
    fake.onQuery = () => ({ stayRunning: true });
    const controller = new AbortController();
    const running = warehouse.query(request({ signal: controller.signal })).catch((e: unknown) => e);
    // Abort once the adapter is polling the job (it has been created and read at least once).
    while (fake.calls("GET", /^\/projects\/acme-data\/jobs\/[^/]+$/).length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = (await running) as WarehouseError;
    expect(error.message).toMatch(/^cancelled: BigQuery job meshplane_\S+ was cancelled/);
    const jobId = realInserts()[0]!.body.jobReference.jobId;
    const cancels = fake.calls("POST", /\/cancel$/);
    expect(cancels.map((c) => c.path)).toEqual([`/projects/acme-data/jobs/${jobId}/cancel`]);
    expect(cancels[0]!.query["location"]).toBe("EU");
  });

  it("an already aborted signal starts no job", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(warehouse.query(request({ signal: controller.signal }))).rejects.toThrow(/cancelled before the BigQuery job started/);
    expect(jobInserts()).toHaveLength(0);
  });
});

describe("the contract gate", () => {
  const destination = { table: { dataset: "sales", table: "orders" }, disposition: "WRITE_APPEND" as const, contract: ORDERS };

  it("a fitting result is written with CREATE_NEVER into the contract's table", async () => {
    fake.onQuery = ({ dryRun }) => (dryRun ? { schema: ORDERS_RESULT } : {});
    await warehouse.query(request({ destination }));
    expect(jobInserts().map((r) => r.body.configuration.dryRun ?? false)).toEqual([true, false]);
    expect(realInserts()[0]!.body.configuration.query.createDisposition).toBe("CREATE_NEVER");
  });

  for (const [what, schema, pattern] of [
    ["a missing column", ORDERS_RESULT.slice(0, 2), /column lines \(RECORD\) is missing/],
    ["a column of another type", [{ name: "order_id", type: "INTEGER" }, ...ORDERS_RESULT.slice(1)], /column order_id is INTEGER in the query's result but STRING in the contract/],
    ["a nested field of another type", [...ORDERS_RESULT.slice(0, 2), { name: "lines", type: "RECORD", mode: "REPEATED", fields: [{ name: "sku", type: "INT64" }] }], /column lines\.sku is INTEGER/],
    ["a single value for an array", [...ORDERS_RESULT.slice(0, 2), { name: "lines", type: "RECORD", fields: [{ name: "sku", type: "STRING" }] }], /column lines is an array \(REPEATED\) in the contract/],
    ["an extra column", [...ORDERS_RESULT, { name: "note", type: "STRING" }], /column note is not in the contract/],
  ] as const) {
    it(`${what} fails naming the column, and no write job is started`, async () => {
      fake.onQuery = ({ dryRun }) => (dryRun ? { schema: schema as never } : {});
      const error = (await warehouse.query(request({ destination })).catch((e: unknown) => e)) as WarehouseError;
      expect(error).toBeInstanceOf(WarehouseError);
      expect(error.message).toMatch(pattern);
      expect(error.message).toContain("retail.sales/sales.orders v1.2.0");
      expect(realInserts()).toHaveLength(0);
    });
  }

  it("INT64 from the query equals INTEGER in the contract", async () => {
    const contract: TableContractView = { ...ORDERS, schema: { fields: [{ name: "n", type: "INTEGER", mode: "REQUIRED" }] } };
    fake.onQuery = ({ dryRun }) => (dryRun ? { schema: [{ name: "n", type: "INT64" }] } : {});
    await warehouse.query(request({ destination: { ...destination, contract } }));
    expect(realInserts()).toHaveLength(1);
  });

  it("a NULL into a REQUIRED column (BigQuery's job error) fails naming the column", async () => {
    fake.onQuery = ({ dryRun }) => (dryRun ? { schema: ORDERS_RESULT } : { error: { reason: "invalid", message: "Required field order_id cannot be null" } });
    await expect(warehouse.query(request({ destination }))).rejects.toThrow(/column order_id is REQUIRED in the contract of `acme-data\.sales\.orders`.*nothing was written/);
  });
});

describe("applyContract and preview", () => {
  it("creates a missing table from the contract (tables.insert), partitioning and clustering kept", async () => {
    await warehouse.applyContract(ORDERS, { recreate: false });
    const [insert] = fake.calls("POST", /^\/projects\/acme-data\/datasets\/sales\/tables$/);
    expect(insert!.body).toEqual({
      tableReference: { projectId: "acme-data", datasetId: "sales", tableId: "orders" },
      schema: { fields: ORDERS.schema.fields },
      timePartitioning: { type: "DAY", field: "day" },
      clustering: { fields: ["order_id"] },
    });
  });

  it("patches an existing table (tables.patch) with the new schema", async () => {
    await warehouse.applyContract(ORDERS, { recreate: false });
    const next = { ...ORDERS, version: "1.3.0", schema: { ...ORDERS.schema, fields: [...ORDERS.schema.fields, { name: "note", type: "STRING" as const, mode: "NULLABLE" as const }] } };
    await warehouse.applyContract(next, { recreate: false });
    const [patch] = fake.calls("PATCH", /^\/projects\/acme-data\/datasets\/sales\/tables\/orders$/);
    expect(patch!.body.schema.fields.map((f: { name: string }) => f.name)).toEqual(["order_id", "amount", "lines", "note"]);
    expect(patch!.body.clustering).toEqual({ fields: ["order_id"] });
    expect(patch!.body.timePartitioning).toBeUndefined();
    expect(fake.calls("POST", /\/tables$/)).toHaveLength(1);
  });

  it("a change of partitioning without recreate is refused; recreate deletes and inserts", async () => {
    await warehouse.applyContract(ORDERS, { recreate: false });
    const repartitioned = { ...ORDERS, version: "2.0.0", schema: { ...ORDERS.schema, timePartitioning: { type: "MONTH" as const, field: "day" } } };
    await expect(warehouse.applyContract(repartitioned, { recreate: false })).rejects.toThrow(/partitioning.*new major version/);
    expect(fake.calls("PATCH", /./)).toHaveLength(0);
    await warehouse.applyContract(repartitioned, { recreate: true });
    expect(fake.requests.map((r) => r.method).slice(-2)).toEqual(["DELETE", "POST"]);
    expect(fake.tables.get("acme-data.sales.orders").timePartitioning).toEqual({ type: "MONTH", field: "day" });
  });

  it("preview reads tabledata.list", async () => {
    await warehouse.applyContract(ORDERS, { recreate: false });
    fake.tableRows.set("acme-data.sales.orders", [
      { order_id: "o1", amount: "2.5", lines: [{ sku: "k" }] },
      { order_id: "o2", amount: null, lines: [] },
    ]);
    const preview = await warehouse.preview({ dataset: "sales", table: "orders" }, 1);
    expect(preview.rows).toEqual([{ order_id: "o1", amount: "2.5", lines: [{ sku: "k" }] }]);
    expect(preview.columns.map((c) => c.name)).toEqual(["order_id", "amount", "lines"]);
    expect(fake.calls("GET", /\/tables\/orders\/data$/)[0]!.query["maxResults"]).toBe("1");
  });

  it("preview of a missing table fails with BigQuery's message", async () => {
    await expect(warehouse.preview({ dataset: "sales", table: "nope" }, 5)).rejects.toThrow(/Not found: Table acme-data:sales\.nope/);
  });
});

describe("configuration", () => {
  it("reads the project, location and endpoint; GOOGLE_CLOUD_PROJECT is the project's fallback", () => {
    expect(loadConfig({ MESHPLANE_BIGQUERY_PROJECT: "acme-data", MESHPLANE_BIGQUERY_LOCATION: "europe-west1", MESHPLANE_BIGQUERY_API_ENDPOINT: fake.url }).bigquery).toEqual({
      projectId: "acme-data",
      location: "europe-west1",
      apiEndpoint: fake.url,
    });
    expect(loadConfig({ GOOGLE_CLOUD_PROJECT: "acme-ops" }).bigquery.projectId).toBe("acme-ops");
    expect(loadConfig({}).bigquery).toEqual({ projectId: undefined, location: undefined, apiEndpoint: undefined });
  });

  for (const [variable, value, says] of [
    ["MESHPLANE_BIGQUERY_PROJECT", "Acme_Data", /Google Cloud project id/],
    ["MESHPLANE_BIGQUERY_LOCATION", "eu west", /BigQuery location/],
    ["MESHPLANE_BIGQUERY_API_ENDPOINT", "ftp://bq.example", /http\(s\):\/\/ URL/],
  ] as const) {
    it(`a bad ${variable} is refused naming it`, () => {
      const error = (() => {
        try {
          loadConfig({ [variable]: value });
        } catch (e) {
          return e;
        }
        return undefined;
      })() as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.variable).toBe(variable);
      expect(error.message).toMatch(says);
    });
  }

  it("the BigQuery warehouse without a project is refused naming MESHPLANE_BIGQUERY_PROJECT", () => {
    expect(() => bigQueryWarehouseFromConfig({ bigquery: { projectId: undefined, location: undefined, apiEndpoint: undefined } })).toThrow(
      /^MESHPLANE_BIGQUERY_PROJECT: must be set when MESHPLANE_WAREHOUSE=bigquery/,
    );
    expect(bigQueryWarehouseFromConfig({ bigquery: { projectId: "acme-data", location: "EU", apiEndpoint: fake.url } }).kind).toBe("bigquery");
  });
});
