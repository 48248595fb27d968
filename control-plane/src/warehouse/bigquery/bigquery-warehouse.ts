import { BigQuery } from "@google-cloud/bigquery";
import type { TableSchema } from "../../tables/bq-types.ts";
import {
  WarehouseError,
  type QueryRequest,
  type QueryResult,
  type TableContractView,
  type TableId,
  type TablePreview,
  type Warehouse,
} from "../warehouse.ts";
import { mergeIntoDecoratorProblem } from "../partition.ts";
import { checkAgainstContract } from "./contract-gate.ts";
import { errorInfo, toWarehouseError } from "./errors.ts";
import { runJob, type JobContext, type RetryPolicy } from "./jobs.ts";
import { jobLabels } from "./labels.ts";
import { mergeStatement, tableRef } from "./merge.ts";
import { decodeRows, toColumns, type RestField } from "./rows.ts";

export interface BigQueryWarehouseOptions {
  /** The project jobs run in when the destination names none, and where contracts' tables live. */
  readonly projectId: string;
  readonly location?: string;
  /** Another endpoint than Google's (the tests' fake). */
  readonly apiEndpoint?: string;
  /** A google-auth-library client; absent = Application Default Credentials. */
  readonly authClient?: unknown;
  readonly retry?: RetryPolicy;
  /** Longest wait between two polls of a running job (default 2 s). */
  readonly pollIntervalMs?: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000 };

/**
 * The production warehouse (SPEC §10): BigQuery through `@google-cloud/bigquery`, the SQL
 * sent as written. The library's own retries are off (`autoRetry: false`) so that
 * jobs.ts alone decides what is retried and how often, and a retried write is always a
 * new job rather than a replayed HTTP request.
 */
export function createBigQueryWarehouse(options: BigQueryWarehouseOptions): Warehouse {
  const clients = new Map<string, BigQuery>();
  // Jobs run in the destination's project: one client per project, created on first use.
  const client = (project: string): BigQuery => {
    let bq = clients.get(project);
    if (!bq) {
      bq = new BigQuery({
        projectId: project,
        autoRetry: false,
        ...(options.location ? { location: options.location } : {}),
        ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
        ...(options.authClient ? { authClient: options.authClient as never } : {}),
      });
      clients.set(project, bq);
    }
    return bq;
  };
  const retry = options.retry ?? DEFAULT_RETRY;
  const context = (request: QueryRequest, describe: JobContext["describe"]): JobContext => ({
    signal: request.signal,
    log: request.log,
    retry,
    pollIntervalMs: options.pollIntervalMs ?? 2_000,
    location: options.location,
    describe,
  });

  return {
    kind: "bigquery",

    async query(request) {
      const started = Date.now();
      const labels = jobLabels(request.labels);
      const destination = request.destination;
      if (!destination) {
        const bq = client(options.projectId);
        const { job, metadata } = await runJob(bq, { query: { query: request.sql, useLegacySql: false }, labels }, context(request, {}));
        const [, , response] = await job.getQueryResults({ maxResults: request.maxRows, autoPaginate: false, skipParsing: true } as never);
        const answer = response as { schema?: { fields?: RestField[] }; rows?: unknown[]; totalRows?: string };
        const fields = answer.schema?.fields ?? [];
        return {
          rowsInserted: 0,
          rowsUpdated: 0,
          rowsDeleted: 0,
          rows: decodeRows(fields, answer.rows).slice(0, request.maxRows),
          rowsTruncated: Number(answer.totalRows ?? 0) > request.maxRows,
          columns: toColumns(fields),
          ...statistics(job.id, metadata),
          durationMs: Date.now() - started,
        };
      }

      const target = destination.table;
      const project = target.project ?? options.projectId;
      const bq = client(project);
      const name = tableRef(target, options.projectId);
      const delta = destination.disposition === "MODE_DELTA";
      const keys = destination.keys && destination.keys.length > 0 ? destination.keys : (destination.contract?.keys ?? []);
      const ctx = context(request, { table: name, ...(delta ? { keys } : {}) });
      if (delta && keys.length === 0) {
        throw new WarehouseError(`MODE_DELTA into ${name} needs keys to MERGE on: set the task's keys or the contract's`);
      }
      // The decorator goes to BigQuery as written (destinationTable.tableId), which confines the write to that day.
      const undecorable = target.table.includes("$") && mergeIntoDecoratorProblem(name, destination.disposition);
      if (undecorable) throw new WarehouseError(undecorable);

      // The gate (contract-gate.ts) and, for a MERGE without a contract, the column list:
      // both come from a dry run of the query, which costs nothing and writes nothing.
      let columns = destination.contract?.schema.fields.map((f) => f.name);
      if (destination.contract || (delta && !columns)) {
        const { metadata } = await runJob(bq, { query: { query: request.sql, useLegacySql: false }, dryRun: true, labels }, ctx);
        const fields = (metadata.statistics?.query?.schema?.fields ?? []) as RestField[];
        if (destination.contract) checkAgainstContract(fields, destination.contract);
        columns ??= fields.map((f) => f.name);
      }

      if (delta) {
        const statement = mergeStatement(name, request.sql, keys, columns ?? []);
        request.log("DEBUG", `BigQuery MERGE into ${name} on ${keys.join(", ")}`);
        const { job, metadata } = await runJob(bq, { query: { query: statement, useLegacySql: false }, labels }, ctx);
        const dml = metadata.statistics?.query?.dmlStats ?? {};
        return {
          rowsInserted: Number(dml.insertedRowCount ?? 0),
          rowsUpdated: Number(dml.updatedRowCount ?? 0),
          rowsDeleted: Number(dml.deletedRowCount ?? 0),
          ...statistics(job.id, metadata),
          durationMs: Date.now() - started,
        };
      }

      const { job, metadata } = await runJob(
        bq,
        {
          query: {
            query: request.sql,
            useLegacySql: false,
            destinationTable: { projectId: project, datasetId: target.dataset, tableId: target.table },
            writeDisposition: destination.disposition,
            // A contract's table exists (applyContract made it): never let a write create
            // another one with the query's schema instead.
            createDisposition: destination.contract ? "CREATE_NEVER" : "CREATE_IF_NEEDED",
          },
          labels,
        },
        ctx,
      );
      return {
        rowsInserted: recordsWritten(metadata),
        rowsUpdated: 0,
        rowsDeleted: 0,
        ...statistics(job.id, metadata),
        durationMs: Date.now() - started,
      };
    },

    async applyContract(contract, { recreate }) {
      const dataset = client(options.projectId).dataset(contract.dataset);
      const table = dataset.table(contract.table);
      const body = tableBody(contract.schema);
      const name = `${options.projectId}.${contract.dataset}.${contract.table}`;
      try {
        const existing = await getMetadataOrUndefined(table);
        if (existing && recreate) await table.delete();
        if (!existing || recreate) {
          await dataset.createTable(contract.table, body as never);
          return;
        }
        if (partitioningOf(existing) !== partitioningOf(body)) {
          throw new WarehouseError(
            `${name}: the contract changes the table's partitioning, which BigQuery cannot alter in place; publish it as a new major version so that the table is recreated`,
          );
        }
        const { timePartitioning: _t, rangePartitioning: _r, ...patch } = body;
        await table.setMetadata(patch as never);
      } catch (error) {
        if (error instanceof WarehouseError) throw error;
        throw toWarehouseError(errorInfo(error), { table: name });
      }
    },

    async preview(id: TableId, limit: number): Promise<TablePreview> {
      const table = client(id.project ?? options.projectId).dataset(id.dataset).table(id.table);
      try {
        const [metadata] = await table.getMetadata();
        const fields = (metadata.schema?.fields ?? []) as RestField[];
        const [rows] = await table.getRows({ maxResults: limit, autoPaginate: false, skipParsing: true } as never);
        return { columns: toColumns(fields), rows: decodeRows(fields, rows as unknown[]) };
      } catch (error) {
        throw toWarehouseError(errorInfo(error), { table: tableRef(id, options.projectId) });
      }
    },

    async close() {
      clients.clear();
    },
  };
}

function statistics(jobId: string | undefined, metadata: any): { bytesProcessed?: number; jobId?: string } {
  const bytes = metadata?.statistics?.query?.totalBytesProcessed ?? metadata?.statistics?.totalBytesProcessed;
  return { ...(bytes !== undefined ? { bytesProcessed: Number(bytes) } : {}), ...(jobId ? { jobId } : {}) };
}

/** Rows a query job wrote to its destination: the output (last) stage of its plan. */
function recordsWritten(metadata: any): number {
  const plan = (metadata?.statistics?.query?.queryPlan ?? []) as { recordsWritten?: string }[];
  return Number(plan.at(-1)?.recordsWritten ?? 0);
}

function tableBody(schema: TableSchema): Record<string, unknown> {
  return {
    schema: { fields: schema.fields },
    ...(schema.timePartitioning ? { timePartitioning: schema.timePartitioning } : {}),
    ...(schema.rangePartitioning ? { rangePartitioning: schema.rangePartitioning } : {}),
    ...(schema.clustering ? { clustering: schema.clustering } : {}),
    ...(schema.requirePartitionFilter ? { requirePartitionFilter: true } : {}),
  };
}

function partitioningOf(resource: any): string {
  const t = resource.timePartitioning;
  const r = resource.rangePartitioning;
  return JSON.stringify({ t: t ? { type: t.type, field: t.field ?? null } : null, r: r ?? null });
}

async function getMetadataOrUndefined(table: { getMetadata(): Promise<[any, ...unknown[]]> }): Promise<any> {
  try {
    const [metadata] = await table.getMetadata();
    return metadata;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}
