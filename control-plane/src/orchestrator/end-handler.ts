import type { Logger } from "../logger.ts";
import type { FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import type { Executor } from "./executor.ts";
import { fireFlowTriggers } from "./flow-triggers.ts";
import { subflowResult } from "./subflows.ts";

/** A handling that failed is tried again after this long (the others go on meanwhile). */
const RETRY_MS = 5_000;
/** Ends with nothing to follow, marked handled per statement. */
const PLAIN_BATCH = 1_000;

/**
 * The follow-ups of ended executions, durable and once: an execution that ends is
 * pending (ended_at set, end_handled false) until one handler, on any replica, has in
 * ONE transaction taken its row (SKIP LOCKED), ended its parent's core.subflow run if it
 * is a child, fired the flow triggers listening to its flow, and marked it handled. A
 * crash in between rolls it all back and the end is handled again; the triggers' key
 * (record-trigger-event.sql) makes a second handling count nothing twice.
 *
 * Ends with nothing to follow are marked handled in bulk first (mark-ends-without-follow-ups.sql).
 * Prompt: every statement that ends an execution NOTIFYs `meshplane_execution_ends` and every
 * replica's handler wakes (wake.ts); the executor's sweep drains too, the fallback.
 */
export class EndHandler {
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly repo: FlowTriggerRepository,
    private readonly executor: Executor,
    private readonly logger: Logger,
  ) {}

  /** Handles every pending end; calls arriving meanwhile run one more pass after it. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        // Before each one: the plain ends that arrived meanwhile never queue in front of it.
        while (!this.stopped) {
          await this.markPlainEnds();
          if (!(await this.handleOne())) break;
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
  }

  /**
   * Ends without follow-ups (most of a 3 AM burst) in bulk first, so that the few with a
   * downstream trigger or a waiting parent are not handled behind thousands of others.
   */
  private async markPlainEnds(): Promise<void> {
    try {
      while (!this.stopped && (await this.repo.markEndsWithoutFollowUps(PLAIN_BATCH)) === PLAIN_BATCH) {
        /* next batch */
      }
    } catch (error) {
      // handleOne takes them one by one meanwhile.
      this.logger.warn({ err: (error as Error).message }, "marking ends without follow-ups failed; they are handled one by one");
    }
  }

  /** False when nothing was pending. */
  private async handleOne(): Promise<boolean> {
    const now = Date.now();
    for (const [id, until] of this.failed) if (until <= now) this.failed.delete(id);
    let handled: { id: string; advance: string[] } | null;
    try {
      handled = await this.repo.transaction(async (client) => {
        const ended = await this.repo.claimEnded(client, [...this.failed.keys()]);
        if (!ended) return null;
        try {
          const advance: string[] = [];
          if (ended.parentTaskRunId) {
            const r = subflowResult(ended);
            const parent = await this.repo.endSubflowRun(client, ended.parentTaskRunId, r.state, r.outputs, r.error);
            if (parent) advance.push(parent);
          }
          advance.push(...(await fireFlowTriggers(this.repo, client, ended)));
          await this.repo.markHandled(client, ended.id);
          return { id: ended.id, advance };
        } catch (error) {
          this.failed.set(ended.id, Date.now() + RETRY_MS);
          throw Object.assign(error as Error, { executionId: ended.id });
        }
      });
    } catch (error) {
      const e = error as Error & { executionId?: string };
      this.logger.warn({ err: e.message, executionId: e.executionId }, "handling an execution's end (flow triggers, subflow parent) failed; it is tried again shortly");
      // Another pending end may still be handled; a failing database ends the pass (the sweep comes back).
      return e.executionId !== undefined;
    }
    if (!handled) return false;
    // The new downstream executions' first step, and the parents whose subflow run ended.
    for (const id of handled.advance) {
      await this.executor.advance(id).catch((error: Error) => this.logger.warn({ err: error.message, executionId: id }, "advancing after an execution's end failed; the executor's sweep retries it"));
    }
    return true;
  }
}
