import { z } from "zod";
import { datasetName, namespaceName, tableName } from "../../names.ts";
import type { WarehouseService } from "../../services/warehouse-service.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

/**
 * The warehouse through the API: a table's rows (read permission on its namespace, like
 * GET table), and the platform admin's local console (`meshplane warehouse query|load`
 * while a server holds the DuckDB file). Answered by the process holding the warehouse;
 * elsewhere 503 says why.
 */
export const WAREHOUSE_LOAD_LIMIT_BYTES = 256 * 1024 * 1024;

const column: z.ZodType = z
  .object({
    name: z.string(),
    type: z.string().describe("BigQuery's type name (STRING, INT64, NUMERIC, RECORD…)"),
    mode: z.enum(["NULLABLE", "REQUIRED", "REPEATED"]),
    get fields() {
      return z.array(column).optional();
    },
  })
  .meta({ id: "ResultColumn" });

const rows = z
  .object({
    columns: z.array(column),
    rows: z.array(z.record(z.string(), z.unknown())).describe("rows as JSON objects; NUMERIC and INT64 values as strings"),
  })
  .meta({ id: "TableRows" });

const queryResult = z
  .object({
    columns: z.array(column),
    rows: z.array(z.record(z.string(), z.unknown())),
    rowsTruncated: z.boolean().describe("more rows than the 10,000 answered"),
    durationMs: z.number(),
  })
  .meta({ id: "WarehouseQueryResult" });

/** `project.dataset.table` or `dataset.table` (a landing table's project belongs to no domain). */
const tableRef = z
  .string()
  .regex(/^([a-z][a-z0-9-]{0,61}[a-z0-9]\.)?[A-Za-z_][A-Za-z0-9_]{0,1023}\.[A-Za-z_][A-Za-z0-9_-]{0,1023}$/, "must be dataset.table or project.dataset.table, such as acme-retail-landing.pos.transactions")
  .describe("dataset.table or project.dataset.table");

function tableIdOf(ref: string) {
  const parts = ref.split(".");
  return parts.length === 3 ? { project: parts[0]!, dataset: parts[1]!, table: parts[2]! } : { dataset: parts[0]!, table: parts[1]! };
}

export function warehouseRoutes(warehouse: WarehouseService) {
  return [
    route({
      method: "get", path: "/tables/{namespace}/{dataset}.{table}/rows", operationId: "getTableRows",
      summary: "The first rows of a table in the warehouse (503 on a process without the warehouse)", tags: ["tables"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: z.object({ namespace: namespaceName, dataset: datasetName, table: tableName }),
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20).describe("rows, 1-1000 (default 20)") }),
      responses: { 200: { description: "Columns and rows", schema: rows } },
      handler: async ({ params, query }) => ({ status: 200, body: await warehouse.rows(params, query.limit) }),
    }),
    route({
      method: "post", path: "/warehouse/query", operationId: "queryWarehouse",
      summary: "Run a query on the local warehouse (platform admin; audited; at most 10,000 rows answered)", tags: ["warehouse"],
      access: { kind: "platform-admin", action: "query the warehouse" },
      body: z.strictObject({
        sql: z.string().min(1, "is empty; send the SQL to run").max(1_000_000),
        dialect: z
          .enum(["bigquery", "duckdb"], { error: "must be bigquery (translated, as sql.query tasks are) or duckdb (the embedded warehouse's own SQL)" })
          .default("bigquery")
          .describe("bigquery (default): the SQL teams write, translated for DuckDB; duckdb: run as written on the embedded warehouse"),
      }),
      responses: { 200: { description: "The result", schema: queryResult } },
      handler: async ({ body }, ctx) => ({ status: 200, body: await warehouse.query(actorOf(ctx), body.sql, body.dialect) }),
    }),
    route({
      method: "post", path: "/warehouse/tables/{table}/load", operationId: "loadWarehouseTable",
      summary: "Load a file (the body, application/octet-stream, at most 256 MiB) into a table of the local warehouse (platform admin; audited)", tags: ["warehouse"],
      access: { kind: "platform-admin", action: "load files into the warehouse" },
      params: z.object({ table: tableRef }),
      query: z.object({
        format: z.enum(["csv", "ndjson", "parquet"], { error: "must be csv, ndjson or parquet" }).default("csv"),
        replace: z.enum(["true", "false"]).optional().describe("replace the table's rows instead of appending"),
      }),
      // app.ts reads the octet-stream body and hands it on base64-encoded (a string every check can walk).
      body: z.string().describe("the file's bytes"),
      bodyTypes: ["application/octet-stream"],
      responses: {
        200: {
          description: "Loaded",
          schema: z.object({ table: z.string(), rowsLoaded: z.number().int(), created: z.boolean().describe("the table was created from the file") }).meta({ id: "WarehouseLoadResult" }),
        },
      },
      handler: async ({ params, query, body }, ctx) => ({
        status: 200,
        body: await warehouse.load(actorOf(ctx), tableIdOf(params.table), Buffer.from(body, "base64"), query.format, query.replace === "true"),
      }),
    }),
  ];
}
