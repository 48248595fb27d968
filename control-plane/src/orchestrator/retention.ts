import type { Logger } from "../logger.ts";
import type { Component } from "../process/component.ts";
import type { OrchestratorPool } from "./orchestrator.ts";

/** Executions per statement: each takes its task runs, events and logs along (tens of rows each). */
export const RETENTION_BATCH = 500;

export interface RetentionOptions {
  readonly retentionDays: number;
  readonly intervalMs: number;
  readonly batch?: number;
}

/**
 * The retention purge (MESHPLANE_RETENTION_DAYS, default 30): every `intervalMs`, and
 * once shortly after start, ended executions older than the retention are deleted in
 * batches until none is left (purge-ended-executions.sql). It runs wherever an executor
 * runs; several processes purging at once skip each other's rows (SKIP LOCKED), so no
 * election is needed. Without an executor in the process (an API-only replica) there is
 * none: the processes running workers purge.
 */
export class RetentionPurge implements Component {
  readonly name = "retention purge";
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly orchestrator: OrchestratorPool,
    private readonly logger: Logger,
    private readonly options: RetentionOptions,
  ) {}

  async start(): Promise<void> {
    const tick = () => void (this.running ??= this.purge().finally(() => (this.running = undefined)));
    // Not at once: a process starting is busy enough (migrations, a burst of work left over).
    this.first = setTimeout(tick, Math.min(this.options.intervalMs, 5_000));
    this.timer = setInterval(tick, this.options.intervalMs);
    this.first.unref();
    this.timer.unref();
  }

  /** Deletes batch after batch until a batch comes back short; answers how many executions went. */
  async purge(): Promise<number> {
    const batch = this.options.batch ?? RETENTION_BATCH;
    let total = 0;
    try {
      for (;;) {
        if (this.stopped) break;
        const deleted = await this.orchestrator.executions.purgeEnded(this.options.retentionDays, batch);
        total += deleted;
        if (deleted < batch) break;
      }
      if (total > 0) this.logger.info({ purged: total, retentionDays: this.options.retentionDays }, "retention: purged ended executions");
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, purged: total }, "retention purge failed; it runs again at its next interval");
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.first);
    clearInterval(this.timer);
    await this.running;
  }
}
