import pg from "pg";
import type { Logger } from "../logger.ts";

export const TASK_RUNS_CHANNEL = "meshplane_task_runs";
/** stop-task-runs.sql: a kill reached running task runs (payload: the execution id). */
export const KILLS_CHANNEL = "meshplane_kills";
/** end-execution.sql: an execution ended, its follow-ups are pending (end-handler.ts). */
export const EXECUTION_ENDS_CHANNEL = "meshplane_execution_ends";

/**
 * LISTEN on one dedicated connection: insert-task-runs.sql and the resubmission NOTIFY
 * when something becomes claimable, and the workers wake at once instead of at their
 * next poll. Polling stays the fallback: a lost connection is re-opened after a pause,
 * and nothing is lost meanwhile, only later.
 */
export class WakeListener {
  private client: pg.Client | undefined;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly killListeners = new Set<(executionId: string) => void>();
  private readonly endListeners = new Set<() => void>();

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  onWake(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A kill reached running task runs of this execution (workers check the runs they hold). */
  onKill(listener: (executionId: string) => void): () => void {
    this.killListeners.add(listener);
    return () => this.killListeners.delete(listener);
  }

  /** Called when an execution ended (any replica). */
  onExecutionEnd(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  async start(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("notification", (n) => {
      if (n.channel === KILLS_CHANNEL) this.killListeners.forEach((l) => l(n.payload ?? ""));
      else if (n.channel === EXECUTION_ENDS_CHANNEL) this.endListeners.forEach((l) => l());
      else this.listeners.forEach((l) => l());
    });
    client.on("error", (error) => {
      this.logger.warn({ err: error.message }, "the task-run wake-up connection failed; polling until it is back");
      this.client = undefined;
      client.end().catch(() => undefined);
      this.retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TASK_RUNS_CHANNEL}; LISTEN ${KILLS_CHANNEL}; LISTEN ${EXECUTION_ENDS_CHANNEL}`);
      this.client = client;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, "cannot listen for task runs; polling until it can");
      client.end().catch(() => undefined);
      this.retry();
    }
  }

  private retry(): void {
    if (!this.closed) setTimeout(() => void this.start(), 2_000).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
