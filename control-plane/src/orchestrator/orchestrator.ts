import { hostname } from "node:os";
import pg from "pg";
import type { Logger } from "../logger.ts";
import { ExecutionRepository } from "../repositories/execution-repository.ts";
import { Executor } from "./executor.ts";
import { WakeListener } from "./wake.ts";
import { DEFAULT_WORKER_OPTIONS, Worker, type WorkerOptions } from "./worker.ts";

export interface OrchestratorOptions {
  readonly worker?: Partial<WorkerOptions>;
  /** How often the executor's sweep runs (resubmits expired leases, re-decides stalled executions). */
  readonly sweepMs?: number;
}

export interface RunningOrchestrator {
  readonly executor: Executor;
  /** Workers first (draining within `graceMs`), then the sweep, the wake-up connection and the pool. */
  stop(graceMs: number): Promise<void>;
}

/**
 * The executor and the workers of one process, on a pool of their own from the same
 * URL: workers hold connections for claims, heartbeats and completions at their own
 * pace, and must neither wait behind the API's requests nor make them wait; and the
 * pool closes only after the workers have drained. Sessions use generic plans, like the
 * flow pool (db/prisma.ts): the queue statements are few and run constantly.
 */
export async function startOrchestrator(databaseUrl: string, logger: Logger, options: OrchestratorOptions = {}): Promise<RunningOrchestrator> {
  const workerOptions: WorkerOptions = { ...DEFAULT_WORKER_OPTIONS, id: `${hostname()}:${process.pid}`, ...options.worker };
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    onConnect: async (client) => void (await client.query("SET plan_cache_mode = force_generic_plan")),
  });
  pool.on("error", (error) => logger.warn({ err: error.message }, "an idle orchestrator connection failed; it will be replaced"));
  const executions = new ExecutionRepository(pool);
  const executor = new Executor(executions, logger);
  const wake = new WakeListener(databaseUrl, logger);
  await wake.start();
  const worker = new Worker(executions, executor, wake, logger, workerOptions);
  worker.start();

  let sweeping: Promise<void> | undefined;
  const sweep = async () => {
    await executions.resubmitExpired(500);
    await executor.advanceMany(await executions.findStalled(2_000, 100));
  };
  const sweepTimer = setInterval(() => {
    sweeping ??= sweep()
      .catch((error: Error) => logger.warn({ err: error.message }, "the executor's sweep failed; it runs again shortly"))
      .finally(() => (sweeping = undefined));
  }, options.sweepMs ?? 1_000);
  sweepTimer.unref();
  logger.info({ worker: workerOptions.id, concurrency: workerOptions.concurrency }, "executor and worker started");

  return {
    executor,
    stop: async (graceMs) => {
      await worker.stop(graceMs);
      clearInterval(sweepTimer);
      await sweeping;
      await wake.close();
      await pool.end();
    },
  };
}
