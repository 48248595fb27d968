/**
 * `meshplane warehouse load|query`: landing data and a local SQL console. While a server
 * holds the DuckDB file (DuckDB lets one process open it) the command goes through that
 * server's platform-admin endpoints (POST /api/v1/warehouse/…) with MESHPLANE_API_KEY
 * (else <data dir>/admin.key) at --url / MESHPLANE_URL (else MESHPLANE_HOST:MESHPLANE_PORT);
 * without a server it opens <data dir>/warehouse.duckdb itself.
 */
import { existsSync, readFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { DuckDbWarehouse } from "../warehouse/duckdb/duckdb-warehouse.ts";
import type { LoadFormat } from "../warehouse/duckdb/load.ts";
import { WarehouseError, type ResultColumn } from "../warehouse/warehouse.ts";

export class WarehouseCommandError extends Error {}

const USAGE = `meshplane warehouse load <table> <file> [--format csv|ndjson|parquet] [--replace] [--url URL] [--json]
meshplane warehouse query "<sql>" [--dialect bigquery|duckdb] [--url URL] [--json]`;

interface Options {
  readonly positional: string[];
  readonly format?: string;
  readonly replace: boolean;
  readonly json: boolean;
  readonly url?: string;
  readonly dialect?: string;
}

function parse(argv: string[]): Options {
  const positional: string[] = [];
  let format: string | undefined;
  let url: string | undefined;
  let dialect: string | undefined;
  let replace = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--replace") replace = true;
    else if (arg === "--json") json = true;
    else if (arg === "--format" || arg === "--url" || arg === "--dialect") {
      const value = argv[++i];
      if (value === undefined) throw new WarehouseCommandError(`${arg} needs a value\n${USAGE}`);
      if (arg === "--format") format = value;
      else if (arg === "--dialect") dialect = value;
      else url = value;
    } else if (arg.startsWith("--format=")) format = arg.slice(9);
    else if (arg.startsWith("--dialect=")) dialect = arg.slice(10);
    else if (arg.startsWith("--url=")) url = arg.slice(6);
    else if (arg.startsWith("--")) throw new WarehouseCommandError(`unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  return { positional, replace, json, ...(format ? { format } : {}), ...(url ? { url } : {}), ...(dialect ? { dialect } : {}) };
}

const TABLE_REF = /^([a-z][a-z0-9-]{0,61}[a-z0-9]\.)?[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*$/;

export async function warehouseCommand(argv: string[], env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<void> {
  const [sub, ...rest] = argv;
  const options = parse(rest);
  if (sub === "load") {
    const [table, file] = options.positional;
    if (!table || !file || options.positional.length > 2) throw new WarehouseCommandError(`load takes a table and a file\n${USAGE}`);
    if (!TABLE_REF.test(table)) throw new WarehouseCommandError(`table ${table} must be dataset.table or project.dataset.table, such as acme-retail-landing.pos.transactions`);
    const format = formatOf(file, options.format);
    if (!existsSync(file)) throw new WarehouseCommandError(`file ${file} does not exist`);
    const result = await through(env, options, {
      server: (client) => client.post(`/warehouse/tables/${encodeURIComponent(table)}/load?format=${format}${options.replace ? "&replace=true" : ""}`, readFileSync(file), "application/octet-stream"),
      direct: async (warehouse) => ({ table, ...(await warehouse.load({ table: tableIdOf(table), path: resolve(file), format, replace: options.replace, now: new Date() })) }),
    });
    const r = result as { table: string; rowsLoaded: number; created: boolean };
    out(options.json ? `${JSON.stringify(r)}\n` : `loaded ${r.rowsLoaded} ${r.rowsLoaded === 1 ? "row" : "rows"} into ${r.table}${r.created ? " (created from the file)" : ""}\n`);
    return;
  }
  if (sub === "query") {
    const [sql] = options.positional;
    if (!sql || options.positional.length > 1) throw new WarehouseCommandError(`query takes one SQL text (quote it)\n${USAGE}`);
    const dialect = options.dialect ?? "bigquery";
    if (dialect !== "bigquery" && dialect !== "duckdb") throw new WarehouseCommandError(`--dialect ${dialect} is not one of bigquery (translated, the default), duckdb (run as written)`);
    const result = (await through(env, options, {
      server: (client) => client.post("/warehouse/query", Buffer.from(JSON.stringify({ sql, dialect })), "application/json"),
      direct: (warehouse) =>
        warehouse.query({ sql, labels: { "meshplane-console": "cli" }, signal: new AbortController().signal, maxRows: 10_000, log: () => undefined }, { translate: dialect === "bigquery" }),
    })) as { columns?: ResultColumn[]; rows?: Record<string, unknown>[]; rowsTruncated?: boolean };
    // A statement returning no rows (COPY, INSERT in dialect duckdb) has no columns.
    const columns = result.columns ?? [];
    const rows = result.rows ?? [];
    if (options.json) out(`${JSON.stringify({ columns, rows, rowsTruncated: result.rowsTruncated ?? false })}\n`);
    else out(formatTable(columns.map((c) => c.name), rows, result.rowsTruncated ?? false));
    return;
  }
  throw new WarehouseCommandError(`unknown warehouse command "${sub ?? ""}"\n${USAGE}`);
}

function formatOf(file: string, given: string | undefined): LoadFormat {
  const format = given ?? ({ ".csv": "csv", ".json": "ndjson", ".ndjson": "ndjson", ".jsonl": "ndjson", ".parquet": "parquet" } as Record<string, string>)[extname(file).toLowerCase()];
  if (format === "csv" || format === "ndjson" || format === "parquet") return format;
  throw new WarehouseCommandError(given ? `--format ${given} is not one of csv, ndjson, parquet` : `cannot tell the format of ${file} from its extension; pass --format csv|ndjson|parquet`);
}

function tableIdOf(ref: string) {
  const parts = ref.split(".");
  return parts.length === 3 ? { project: parts[0]!, dataset: parts[1]!, table: parts[2]! } : { dataset: parts[0]!, table: parts[1]! };
}

interface Client {
  post(path: string, body: Buffer, contentType: string): Promise<unknown>;
}

/** Through the server when one is named (or holds the file), else on the file directly. */
async function through(env: NodeJS.ProcessEnv, options: Options, run: { server: (client: Client) => Promise<unknown>; direct: (warehouse: DuckDbWarehouse) => Promise<unknown> }): Promise<unknown> {
  const dataDir = resolve(env["MESHPLANE_DATA_DIR"] ?? "./.meshplane");
  if (options.url || env["MESHPLANE_URL"] || env["MESHPLANE_API_KEY"]) return run.server(client(env, options, dataDir));
  const file = env["MESHPLANE_DUCKDB_PATH"] ? resolve(env["MESHPLANE_DUCKDB_PATH"]) : join(dataDir, "warehouse.duckdb");
  let warehouse: DuckDbWarehouse;
  try {
    warehouse = await DuckDbWarehouse.open(file);
  } catch {
    // Held by a running server: ask it.
    return run.server(client(env, options, dataDir));
  }
  try {
    return await run.direct(warehouse);
  } catch (error) {
    if (error instanceof WarehouseError) throw new WarehouseCommandError(error.message);
    throw error;
  } finally {
    await warehouse.close();
  }
}

function client(env: NodeJS.ProcessEnv, options: Options, dataDir: string): Client {
  const base = (options.url ?? env["MESHPLANE_URL"] ?? `http://${env["MESHPLANE_HOST"] ?? "127.0.0.1"}:${env["MESHPLANE_PORT"] ?? "8080"}`).replace(/\/+$/, "");
  const keyFile = join(dataDir, "admin.key");
  const key = env["MESHPLANE_API_KEY"] ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : undefined);
  if (!key) throw new WarehouseCommandError(`a server holds the warehouse file; set MESHPLANE_API_KEY to a platform admin's key to go through it (${base})`);
  return {
    async post(path, body, contentType) {
      const response = await fetch(`${base}/api/v1${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": contentType }, body: new Uint8Array(body) }).catch((error: Error) => {
        throw new WarehouseCommandError(`cannot reach the server at ${base} (${error.message}); start it, or pass --url`);
      });
      const answer = (await response.json().catch(() => ({}))) as { detail?: string };
      if (!response.ok) throw new WarehouseCommandError(`the server answered ${response.status}: ${answer.detail ?? response.statusText}`);
      return answer;
    },
  };
}

/** A readable aligned table: a header, a rule, one line per row; numbers right-aligned. */
export function formatTable(names: readonly string[], rows: readonly Record<string, unknown>[], truncated: boolean): string {
  const cell = (v: unknown) => (v === null || v === undefined ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v));
  const cells = rows.map((r) => names.map((n) => cell(r[n])));
  const numeric = names.map((_, i) => cells.length > 0 && cells.every((row) => /^-?\d+(\.\d+)?$/.test(row[i]!) || row[i] === "NULL"));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) => values.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd();
  const body = [line(names), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  const count = `(${rows.length} ${rows.length === 1 ? "row" : "rows"}${truncated ? ", more not shown" : ""})`;
  return `${body.join("\n")}\n${count}\n`;
}
