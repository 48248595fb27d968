import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A FAKE of BigQuery's REST API (v2), on loopback, for tests only. It answers the calls
 * `@google-cloud/bigquery` sends when pointed at it with `apiEndpoint` — jobs.insert,
 * jobs.get, jobs.getQueryResults, jobs.cancel, tables.get/insert/patch/delete and
 * tabledata.list — and records every request. It runs no SQL: what a query job returns
 * (schema, rows, DML statistics, bytes, an error, staying RUNNING until cancelled) is
 * scripted by the test through `onQuery`. Tables are kept in memory as the resources sent.
 */
export interface RecordedRequest {
  readonly method: string;
  /** Without the `/bigquery/v2` prefix, e.g. `/projects/p/jobs`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: any;
  readonly authorization: string | undefined;
}

/** An error as BigQuery reports it: `errorResult` of a job, or an HTTP error's first `errors[]` entry. */
export interface FakeError {
  readonly reason: string;
  readonly message: string;
  /** Only for `httpStatus` errors: the HTTP status jobs.insert answers (e.g. 429, 500, 503). */
  readonly httpStatus?: number;
}

export interface FakeField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly fields?: readonly FakeField[];
}

/** What a query job does, decided per jobs.insert. */
export interface JobScript {
  /** The result schema (for a dry run: statistics.query.schema; otherwise getQueryResults' schema). */
  readonly schema?: readonly FakeField[];
  /** Result rows as plain objects, encoded by the fake in BigQuery's f/v form. */
  readonly rows?: readonly Record<string, unknown>[];
  readonly dmlStats?: { insertedRowCount?: number; updatedRowCount?: number; deletedRowCount?: number };
  readonly totalBytesProcessed?: number;
  /** For a query with a destination: the output stage's recordsWritten. */
  readonly recordsWritten?: number;
  /** jobs.insert answers this HTTP error (no job is created). */
  readonly insertError?: FakeError & { httpStatus: number };
  /** The job ends DONE with this errorResult. */
  readonly error?: FakeError;
  /** The job stays RUNNING until jobs.cancel. */
  readonly stayRunning?: boolean;
}

export interface QueryCall {
  readonly query: string;
  readonly dryRun: boolean;
  readonly configuration: any;
  /** 1 for the first jobs.insert of a dry run / real run, counting both kinds separately. */
  readonly attempt: number;
}

export interface FakeBigQuery {
  /** The `apiEndpoint` to give the client (http://127.0.0.1:port). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Scripts each query job; default: a successful job with no rows. */
  onQuery: (call: QueryCall) => JobScript;
  /** Table resources by `project.dataset.table`. */
  readonly tables: Map<string, any>;
  /** Rows tabledata.list answers, by `project.dataset.table`. */
  readonly tableRows: Map<string, Record<string, unknown>[]>;
  /** The requests whose method and path match. */
  calls(method: string, pathPattern: RegExp): RecordedRequest[];
  /** Forgets requests, jobs, tables and attempt counts; back to the default script. */
  reset(): void;
  close(): Promise<void>;
}

interface FakeJob {
  resource: any;
  script: JobScript;
}

export async function startFakeBigQuery(): Promise<FakeBigQuery> {
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, FakeJob>();
  const tables = new Map<string, any>();
  const tableRows = new Map<string, Record<string, unknown>[]>();
  const attempts = { dry: 0, real: 0 };
  const fake: FakeBigQuery = {
    url: "",
    requests,
    onQuery: () => ({}),
    tables,
    tableRows,
    calls: (method, pattern) => requests.filter((r) => r.method === method && pattern.test(r.path)),
    reset: () => {
      requests.length = 0;
      jobs.clear();
      tables.clear();
      tableRows.clear();
      attempts.dry = 0;
      attempts.real = 0;
      fake.onQuery = () => ({});
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = (req: IncomingMessage, body: any): [number, unknown] => {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/bigquery\/v2/, "");
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? "GET", path, query, body, authorization: req.headers.authorization });
    const m = (re: RegExp) => re.exec(path);
    let g: RegExpExecArray | null;

    if (req.method === "POST" && (g = m(/^\/projects\/([^/]+)\/jobs$/))) {
      const configuration = body.configuration ?? {};
      const dryRun = configuration.dryRun === true;
      const attempt = dryRun ? ++attempts.dry : ++attempts.real;
      const script = fake.onQuery({ query: configuration.query?.query ?? "", dryRun, configuration, attempt });
      if (script.insertError) return httpError(script.insertError.httpStatus, script.insertError);
      const ref = { projectId: g[1], jobId: body.jobReference?.jobId, location: body.jobReference?.location ?? "US" };
      const resource: any = {
        kind: "bigquery#job",
        id: `${ref.projectId}:${ref.location}.${ref.jobId}`,
        jobReference: ref,
        configuration,
        status: { state: "DONE" },
        statistics: { query: queryStatistics(script, dryRun) },
      };
      if (script.error) resource.status = { state: "DONE", errorResult: script.error, errors: [script.error] };
      if (dryRun) return [200, resource];
      if (script.stayRunning) resource.status = { state: "RUNNING" };
      jobs.set(ref.jobId, { resource, script });
      return [200, resource];
    }
    if (req.method === "GET" && (g = m(/^\/projects\/[^/]+\/jobs\/([^/]+)$/))) {
      const job = jobs.get(g[1]!);
      return job ? [200, job.resource] : notFound(`Job ${g[1]}`);
    }
    if (req.method === "POST" && (g = m(/^\/projects\/[^/]+\/jobs\/([^/]+)\/cancel$/))) {
      const job = jobs.get(g[1]!);
      if (!job) return notFound(`Job ${g[1]}`);
      const stopped = { reason: "stopped", message: "Job execution was cancelled: User requested cancellation" };
      job.resource.status = { state: "DONE", errorResult: stopped, errors: [stopped] };
      return [200, { kind: "bigquery#jobCancelResponse", job: job.resource }];
    }
    if (req.method === "GET" && (g = m(/^\/projects\/[^/]+\/queries\/([^/]+)$/))) {
      const job = jobs.get(g[1]!);
      if (!job) return notFound(`Job ${g[1]}`);
      const schema = { fields: job.script.schema ?? [] };
      const all = job.script.rows ?? [];
      const max = query["maxResults"] === undefined ? all.length : Number(query["maxResults"]);
      return [
        200,
        {
          kind: "bigquery#getQueryResultsResponse",
          jobReference: job.resource.jobReference,
          schema,
          rows: all.slice(0, max).map((row) => encodeRow(schema.fields, row)),
          totalRows: String(all.length),
          jobComplete: true,
        },
      ];
    }
    if ((g = m(/^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables(?:\/([^/]+))?(\/data)?$/))) {
      const [, project, dataset, tableName, data] = g;
      if (req.method === "POST" && !tableName) {
        const id = `${project}.${dataset}.${body.tableReference?.tableId}`;
        if (tables.has(id)) return httpError(409, { reason: "duplicate", message: `Already Exists: Table ${id}` });
        const resource = { kind: "bigquery#table", ...body, id: `${project}:${dataset}.${body.tableReference?.tableId}` };
        tables.set(id, resource);
        return [200, resource];
      }
      const id = `${project}.${dataset}.${tableName}`;
      const table = tables.get(id);
      if (!table) return notFound(`Table ${project}:${dataset}.${tableName}`);
      if (req.method === "GET" && data) {
        const all = tableRows.get(id) ?? [];
        const max = query["maxResults"] === undefined ? all.length : Number(query["maxResults"]);
        return [
          200,
          {
            kind: "bigquery#tableDataList",
            totalRows: String(all.length),
            rows: all.slice(0, max).map((row) => encodeRow(table.schema?.fields ?? [], row)),
          },
        ];
      }
      if (req.method === "GET") return [200, table];
      if (req.method === "PATCH") {
        Object.assign(table, body);
        return [200, table];
      }
      if (req.method === "DELETE") {
        tables.delete(id);
        tableRows.delete(id);
        return [204, undefined];
      }
    }
    return notFound(`${req.method} ${path} (not answered by the fake)`);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const [status, answer] = handle(req, body);
      if (answer === undefined) {
        res.writeHead(status).end();
        return;
      }
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  (fake as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function queryStatistics(script: JobScript, dryRun: boolean): any {
  const statistics: any = { totalBytesProcessed: String(script.totalBytesProcessed ?? 0) };
  if (dryRun) statistics.schema = { fields: script.schema ?? [] };
  if (script.dmlStats) {
    statistics.dmlStats = Object.fromEntries(Object.entries(script.dmlStats).map(([k, v]) => [k, String(v)]));
  }
  if (script.recordsWritten !== undefined) {
    statistics.queryPlan = [
      { name: "S00: Input", recordsWritten: "7" },
      { name: "S01: Output", recordsWritten: String(script.recordsWritten) },
    ];
  }
  return statistics;
}

/** BigQuery's row encoding: `{f: [{v}]}`, scalars as strings, RECORD as nested `{f}`, REPEATED as `[{v}]`. */
function encodeRow(fields: readonly FakeField[], row: Record<string, unknown>): unknown {
  return { f: fields.map((field) => ({ v: encodeValue(field, row[field.name]) })) };
}

function encodeValue(field: FakeField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.mode === "REPEATED") {
    return (value as unknown[]).map((v) => ({ v: encodeValue({ ...field, mode: "NULLABLE" }, v) }));
  }
  if (field.type === "RECORD" || field.type === "STRUCT") {
    return encodeRow(field.fields ?? [], value as Record<string, unknown>);
  }
  if (field.type === "JSON") return JSON.stringify(value);
  return String(value);
}

function httpError(status: number, error: FakeError): [number, unknown] {
  return [status, { error: { code: status, message: error.message, errors: [{ reason: error.reason, message: error.message }] } }];
}

function notFound(what: string): [number, unknown] {
  return httpError(404, { reason: "notFound", message: `Not found: ${what}` });
}
