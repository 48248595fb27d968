import type { BigQuery, Job } from "@google-cloud/bigquery";
import { WarehouseError } from "../warehouse.ts";
import { errorInfo, isRetryable, toWarehouseError, type BigQueryErrorInfo } from "./errors.ts";

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
}

export interface JobContext {
  readonly signal: AbortSignal;
  readonly log: (level: "DEBUG" | "INFO" | "WARN" | "ERROR", message: string) => void;
  readonly retry: RetryPolicy;
  /** Longest wait between two jobs.get while a job runs. */
  readonly pollIntervalMs: number;
  readonly location: string | undefined;
  /** Names the table and keys in error messages. */
  readonly describe: { table?: string; keys?: readonly string[] };
}

/**
 * Runs one query job to its end: jobs.insert, then jobs.get until DONE. A retryable
 * failure (errors.ts) — of the insert or of the job — starts a new job (a failed job
 * cannot be resumed) after an exponential backoff, up to `maxAttempts`. The signal
 * aborting cancels the running job (jobs.cancel) and fails with a cancellation error.
 * Dry runs answer at once and are never polled.
 */
export async function runJob(bq: BigQuery, configuration: Record<string, unknown>, ctx: JobContext): Promise<{ job: Job; metadata: any }> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(ctx.signal);
    let failure: BigQueryErrorInfo;
    let jobId: string | undefined;
    try {
      const [job, metadata] = await bq.createJob({ configuration, jobPrefix: "meshplane_", ...(ctx.location ? { location: ctx.location } : {}) });
      jobId = job.id;
      if ((configuration as { dryRun?: boolean }).dryRun) return { job, metadata };
      ctx.log("DEBUG", `BigQuery job ${job.id} started (attempt ${attempt})`);
      const done = await waitForJob(job, metadata, ctx);
      const errorResult = done.status?.errorResult as BigQueryErrorInfo | undefined;
      if (!errorResult) return { job, metadata: done };
      failure = errorResult;
    } catch (error) {
      if (error instanceof WarehouseError) throw error;
      failure = errorInfo(error);
      jobId ??= (error as { response?: { jobReference?: { jobId?: string } } }).response?.jobReference?.jobId;
    }
    if (!isRetryable(failure) || attempt >= ctx.retry.maxAttempts) {
      throw toWarehouseError(failure, { ...ctx.describe, ...(jobId ? { jobId } : {}) });
    }
    const delay = ctx.retry.initialDelayMs * 2 ** (attempt - 1);
    ctx.log("WARN", `BigQuery: ${failure.message} (${failure.reason}); retrying in ${delay} ms (attempt ${attempt + 1} of ${ctx.retry.maxAttempts})`);
    await sleep(delay, ctx.signal);
  }
}

async function waitForJob(job: Job, first: any, ctx: JobContext): Promise<any> {
  let metadata = first;
  let wait = Math.min(50, ctx.pollIntervalMs);
  while (metadata.status?.state !== "DONE") {
    await sleep(wait, ctx.signal);
    if (ctx.signal.aborted) {
      await job.cancel().catch((error: unknown) => ctx.log("WARN", `BigQuery: cancelling job ${job.id} failed: ${errorInfo(error).message}`));
      ctx.log("INFO", `BigQuery job ${job.id} cancelled`);
      throw new WarehouseError(`cancelled: BigQuery job ${job.id} was cancelled (the execution was killed or timed out)`);
    }
    [metadata] = await job.getMetadata();
    wait = Math.min(wait * 2, ctx.pollIntervalMs);
  }
  return metadata;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new WarehouseError("cancelled before the BigQuery job started (the execution was killed or timed out)");
}

/** Resolves after `ms`, or at once when the signal aborts (the caller checks it). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
