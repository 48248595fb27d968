import { hostname } from "node:os";
import pg from "pg";
import { closerOf } from "../db/pool-close.ts";
import type { Logger } from "../logger.ts";
import { startComponents, type Component } from "../process/component.ts";
import { ExecutionRepository } from "../repositories/execution-repository.ts";
import { FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import { EndHandler } from "./end-handler.ts";
import { Executor } from "./executor.ts";
import { setWorkerSlots } from "./metrics.ts";
import type { Warehouse } from "../warehouse/warehouse.ts";
import { WakeListener } from "./wake.ts";
import { DEFAULT_WORKER_OPTIONS, Worker, type WorkerOptions } from "./worker.ts";

export interface OrchestratorOptions {
  readonly worker?: Partial<WorkerOptions>;
  /** How often the executor's sweep runs (resubmits expired leases, re-decides stalled executions). */
  readonly sweepMs?: number;
  /** The process's warehouse, read when the workers start (undefined: they claim no sql.query runs). */
  readonly warehouse?: () => Warehouse | undefined;
}

/**
 * The pool of the executor and the workers of one process, from the same URL as the
 * API's but their own: workers hold connections for claims, heartbeats and completions
 * at their own pace, and must neither wait behind the API's requests nor make them
 * wait. Started before the executor and the workers, closed after them (after the
 * workers drained). Sessions use generic plans, like the flow pool (db/prisma.ts): the
 * queue statements are few and run constantly.
 */
export class OrchestratorPool implements Component {
  readonly name = "orchestrator pool";
  private close: (() => Promise<void>) | undefined;
  private repository: ExecutionRepository | undefined;
  private executorInstance: Executor | undefined;
  private endHandler: EndHandler | undefined;

  /** `url`: a function when the URL is known only once the database component has started. */
  constructor(
    private readonly url: string | (() => string),
    private readonly logger: Logger,
  ) {}

  get databaseUrl(): string {
    return typeof this.url === "string" ? this.url : this.url();
  }

  get executions(): ExecutionRepository {
    if (!this.repository) throw new Error("the orchestrator pool is not started");
    return this.repository;
  }

  get executor(): Executor {
    if (!this.executorInstance) throw new Error("the orchestrator pool is not started");
    return this.executorInstance;
  }

  /** The follow-ups of ended executions (flow triggers, a subflow's parent): end-handler.ts. */
  get ends(): EndHandler {
    if (!this.endHandler) throw new Error("the orchestrator pool is not started");
    return this.endHandler;
  }

  async start(): Promise<void> {
    const pool = new pg.Pool({
      connectionString: this.databaseUrl,
      max: 4,
      onConnect: async (client) => void (await client.query("SET plan_cache_mode = force_generic_plan")),
    });
    pool.on("error", (error) => this.logger.warn({ err: error.message }, "an idle orchestrator connection failed; it will be replaced"));
    this.close = closerOf(pool);
    this.repository = new ExecutionRepository(pool);
    const followUps = new FlowTriggerRepository(pool);
    this.executorInstance = new Executor(this.repository, this.logger, followUps);
    this.endHandler = new EndHandler(followUps, this.executorInstance, this.logger);
  }

  async stop(): Promise<void> {
    await this.close?.();
  }
}

/**
 * The executor's sweep (every `sweepMs`): task runs whose worker stopped renewing its
 * lease go back to the queue, and executions whose last decision was lost (or that
 * nobody advanced: created on an API-only replica) are decided again.
 */
export class ExecutorSweep implements Component {
  readonly name = "executor";
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly orchestrator: OrchestratorPool,
    private readonly logger: Logger,
    private readonly sweepMs = 1_000,
  ) {}

  async start(): Promise<void> {
    const { executions, executor, ends } = this.orchestrator;
    const sweep = async () => {
      await executions.resubmitExpired(500);
      // A killed run whose worker died before it could report ends KILLED when its lease expires.
      await executor.advanceMany((await executions.endKilled([], true)).map((r) => r.executionId));
      for (const id of await executions.timedOut(100)) await executor.kill(id, null, "timeout");
      await executor.advanceMany(await executions.findStalled(2_000, 100));
      // Ends whose follow-ups no replica handled yet (their NOTIFY was missed, or a handler crashed).
      await ends.drain();
    };
    this.timer = setInterval(() => {
      this.sweeping ??= sweep()
        .catch((error: Error) => this.logger.warn({ err: error.message }, "the executor's sweep failed; it runs again shortly"))
        .finally(() => (this.sweeping = undefined));
    }, this.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    await this.orchestrator.ends.stop();
  }
}

/** The workers of this process and their wake-up connection; stopping drains them. */
export class Workers implements Component {
  readonly name = "workers";
  readonly options: WorkerOptions;
  private wake: WakeListener | undefined;
  private worker: Worker | undefined;

  constructor(
    private readonly orchestrator: OrchestratorPool,
    private readonly logger: Logger,
    options: Partial<WorkerOptions> = {},
    private readonly warehouse?: () => Warehouse | undefined,
  ) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, id: `${hostname()}:${process.pid}`, ...options };
  }

  async start(): Promise<void> {
    this.wake = new WakeListener(this.orchestrator.databaseUrl, this.logger);
    // An execution ended on any replica: this process's handler may take its follow-ups.
    this.wake.onExecutionEnd(() => void this.orchestrator.ends.drain());
    await this.wake.start();
    const warehouse = this.warehouse?.();
    const worker = new Worker(this.orchestrator.executions, this.orchestrator.executor, this.wake, this.logger, { ...this.options, ...(warehouse ? { warehouse } : {}) });
    worker.start();
    this.worker = worker;
    setWorkerSlots(() => ({ busy: worker.running, slots: this.options.concurrency }));
    this.logger.info({ worker: this.options.id, concurrency: this.options.concurrency, leaseMs: this.options.leaseMs }, "worker claiming task runs");
  }

  async stop(graceMs: number): Promise<void> {
    await this.worker?.stop(graceMs);
    setWorkerSlots(undefined);
    await this.wake?.close();
  }
}

/** Pool → executor → workers: the part of a process that runs executions. */
export function orchestratorComponents(databaseUrl: string | (() => string), logger: Logger, options: OrchestratorOptions = {}): { pool: OrchestratorPool; workers: Workers; components: Component[] } {
  const pool = new OrchestratorPool(databaseUrl, logger);
  const workers = new Workers(pool, logger, options.worker, options.warehouse);
  return { pool, workers, components: [pool, new ExecutorSweep(pool, logger, options.sweepMs), workers] };
}

export interface RunningOrchestrator {
  readonly executor: Executor;
  /** Workers first (draining within `graceMs`), then the sweep, the wake-up connection and the pool. */
  stop(graceMs: number): Promise<void>;
}

/** The orchestrator's components started on their own (benchmarks, tests below HTTP). */
export async function startOrchestrator(databaseUrl: string, logger: Logger, options: OrchestratorOptions = {}): Promise<RunningOrchestrator> {
  const { pool, components } = orchestratorComponents(databaseUrl, logger, options);
  const running = await startComponents(components, logger);
  return { executor: pool.executor, stop: (graceMs) => running.stop(graceMs) };
}
