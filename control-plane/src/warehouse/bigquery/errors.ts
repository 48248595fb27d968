import { WarehouseError } from "../warehouse.ts";

/**
 * BigQuery's errors as the adapter sees them, and which are worth retrying. The reasons
 * retried are the transient ones BigQuery documents (and Kestra retries by default):
 * `rateLimitExceeded`, `backendError`, `internalError`, and a DML statement losing a race
 * with another one on the same table ("Could not serialize access … due to concurrent
 * update"), which BigQuery reports with reason `invalidQuery`, so it is recognised by its
 * message. Everything else (bad SQL, permissions, quota exhausted for the day) fails at once.
 */
export interface BigQueryErrorInfo {
  readonly reason: string;
  readonly message: string;
}

const RETRYABLE_REASONS = new Set(["rateLimitExceeded", "backendError", "internalError"]);
const CONCURRENT_UPDATE = /could not serialize access .* due to concurrent update/i;

export function isRetryable(error: BigQueryErrorInfo): boolean {
  return RETRYABLE_REASONS.has(error.reason) || CONCURRENT_UPDATE.test(error.message);
}

/** The reason and message of an error thrown by the client library (an HTTP error: ApiError). */
export function errorInfo(error: unknown): BigQueryErrorInfo {
  const e = error as { errors?: { reason?: string; message?: string }[]; message?: string; code?: number };
  const first = e.errors?.[0];
  return { reason: first?.reason ?? (e.code === 429 ? "rateLimitExceeded" : "unknown"), message: first?.message ?? e.message ?? String(error) };
}

/** A failed job or request, explained for the flow's author. */
export function toWarehouseError(error: BigQueryErrorInfo, context: { jobId?: string; keys?: readonly string[]; table?: string }): WarehouseError {
  const job = context.jobId ? `, job ${context.jobId}` : "";
  // BigQuery's own words for a MERGE whose source holds one key twice; it does not say which key.
  if (/must match at most one source row for each target row/i.test(error.message) && context.keys) {
    return new WarehouseError(
      `MODE_DELTA into ${context.table}: the query returns more than one row for the same key (${context.keys.join(", ")}); ` +
        `a MERGE needs one row per key — deduplicate the query, e.g. QUALIFY ROW_NUMBER() OVER (PARTITION BY ${context.keys.join(", ")} ORDER BY …) = 1 ` +
        `(BigQuery: ${error.message}${job})`,
    );
  }
  const required = /required field (\S+) cannot be null/i.exec(error.message);
  if (required) {
    return new WarehouseError(
      `column ${required[1]} is REQUIRED in the contract of ${context.table} but the query returns NULL for it; nothing was written (BigQuery: ${error.message}${job})`,
    );
  }
  return new WarehouseError(`BigQuery: ${error.message} (${error.reason}${job})`, isRetryable(error));
}
