/**
 * The warehouse `sql.query` runs on (SPEC §10): an embedded DuckDB file in the data dir by
 * default, BigQuery in production (`MESHPLANE_WAREHOUSE`). Teams write BigQuery SQL; an
 * adapter takes it as written (the DuckDB adapter translates it, `translate/`).
 *
 * Table identity follows the control plane's: a dataset belongs to one namespace whatever
 * project names it (services/flow-policy.ts), so `dataset.table` and
 * `project.dataset.table` are the same table when the project is the domain's. The
 * project is kept where the warehouse needs it (BigQuery jobs run in a project).
 */
import type { BqField, TableSchema } from "../tables/bq-types.ts";

export type { FeedType } from "@meshplane/rules";
import type { FeedType } from "@meshplane/rules";

export interface TableId {
  /** Absent when the SQL or the task named `dataset.table`. */
  readonly project?: string;
  readonly dataset: string;
  readonly table: string;
}

/** A registered table contract, as the gate before a write needs it. */
export interface TableContractView {
  readonly namespace: string;
  readonly dataset: string;
  readonly table: string;
  readonly version: string;
  readonly schema: TableSchema;
  readonly feedType: FeedType;
  readonly keys: readonly string[];
}

export interface QueryDestination {
  readonly table: TableId;
  readonly disposition: FeedType;
  /** MODE_DELTA: the columns the MERGE matches on. */
  readonly keys?: readonly string[];
  /** The table's contract; the result is checked against it before anything is written. */
  readonly contract?: TableContractView;
}

export interface QueryRequest {
  /** BigQuery SQL, templates already rendered. */
  readonly sql: string;
  readonly destination?: QueryDestination;
  /** Job labels (BigQuery) / log context: at least `meshplane-execution` = the execution id. */
  readonly labels: Readonly<Record<string, string>>;
  /** Aborted on kill and timeout: the adapter cancels the running statement or job. */
  readonly signal: AbortSignal;
  /** Without a destination, at most this many rows are returned (the rest is dropped and `rowsTruncated` set). */
  readonly maxRows: number;
  readonly log: (level: "DEBUG" | "INFO" | "WARN" | "ERROR", message: string) => void;
}

export interface ResultColumn {
  readonly name: string;
  /** The BigQuery type name (INT64, NUMERIC, STRUCT<…> as RECORD with fields…). */
  readonly type: string;
  readonly mode: "NULLABLE" | "REQUIRED" | "REPEATED";
  readonly fields?: readonly ResultColumn[];
}

export interface QueryResult {
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
  /** Only without a destination: rows as JSON values (DECIMAL and INT64 beyond 2^53 as strings). */
  readonly rows?: readonly Record<string, unknown>[];
  readonly rowsTruncated?: boolean;
  readonly columns?: readonly ResultColumn[];
  readonly bytesProcessed?: number;
  /** BigQuery's job id; absent locally. */
  readonly jobId?: string;
  readonly durationMs: number;
}

export interface TablePreview {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly Record<string, unknown>[];
}

export interface Warehouse {
  readonly kind: "duckdb" | "bigquery";
  /** Runs one query (or script), writing its result to the destination when there is one. */
  query(request: QueryRequest): Promise<QueryResult>;
  /** Makes the table match its contract: create it, alter it for a compatible change, recreate it when `recreate`. */
  applyContract(contract: TableContractView, options: { readonly recreate: boolean }): Promise<void>;
  /** The first `limit` rows of a table. */
  preview(table: TableId, limit: number): Promise<TablePreview>;
  close(): Promise<void>;
}

/** A failure the flow's author can act on (the task run's error): names the construct, column or key. */
export class WarehouseError extends Error {
  constructor(
    message: string,
    /** Retrying may succeed (rate limit, backend error, concurrent update). */
    readonly retryable = false,
  ) {
    super(message);
    this.name = "WarehouseError";
  }
}

export type { BqField };
