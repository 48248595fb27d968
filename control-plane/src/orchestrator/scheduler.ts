import { randomUUID } from "node:crypto";
import type pg from "pg";
import { parseFlowSource } from "../flows/flow-parser.ts";
import type { Logger } from "../logger.ts";
import type { TriggerInfo } from "../repositories/execution-repository.ts";
import { ScheduleRepository, type DueSchedule } from "../repositories/schedule-repository.ts";
import { SYSTEM_ACTORS } from "../services/context.ts";
import { cronOf, latestSlotsBefore, nextSlot, slotsBetween } from "./cron.ts";
import { checkInputs } from "./inputs.ts";

/**
 * The scheduler: fires the schedule triggers of live, enabled flows (README "Schedules").
 *
 * - What is due comes from flow_schedules by index (next_fire_at), never from a scan of
 *   the flows; between slots a replica runs one index probe per wake-up (at most 1 s
 *   apart) and sleeps until the earliest slot.
 * - Exactly one execution per slot across replicas: every replica may try to create a
 *   slot's execution; the unique key (flow_pk, trigger id, slot) lets one insert win
 *   (create-scheduled-executions.sql). The schedule's next slot moves on only after the
 *   insert, so a crash in between repeats the insert (a no-op) rather than losing a slot.
 * - Missed slots (no scheduler ran, or a new schedule written while none ran): a slot is
 *   missed once it is more than `missedAfterMs` old. On-time slots always fire; missed
 *   ones as the trigger's recoverMissedSchedules says: LAST the latest, ALL each (the most
 *   recent `maxSlotsPerTick`), NONE none (logged).
 * - A slot runs the flow's revision in force when it fires; a new cron or zone applies
 *   from the next slot after the write.
 */
export interface SchedulerOptions {
  /** The clock; tests drive it. */
  readonly now?: () => Date;
  /** The longest sleep between two looks at what is due (a new schedule may be due sooner). */
  readonly maxSleepMs?: number;
  /** Schedules read per query. */
  readonly batch?: number;
  /** A slot older than this when its tick comes is "missed" (recoverMissedSchedules decides). */
  readonly missedAfterMs?: number;
  /** At most this many executions for one schedule in one tick (ALL after a long downtime). */
  readonly maxSlotsPerTick?: number;
}

export const DEFAULT_SCHEDULER_OPTIONS = { maxSleepMs: 1_000, batch: 200, missedAfterMs: 60_000, maxSlotsPerTick: 1_000 } as const;

/** What starts an execution's first step once it exists (the executor). */
export interface ExecutionAdvancer {
  advance(executionId: string): Promise<unknown>;
}

const NEVER = "infinity";

export class Scheduler {
  private readonly now: () => Date;
  private readonly options: Required<Omit<SchedulerOptions, "now">>;
  /** The inputs a schedule starts a revision with (its defaults), or why it cannot: by flow pk and revision. */
  private readonly inputsMemo = new Map<string, { values: Record<string, unknown>; error: string | null }>();

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly executor: ExecutionAdvancer,
    private readonly logger: Logger,
    options: SchedulerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.options = { ...DEFAULT_SCHEDULER_OPTIONS, ...stripUndefined(options) };
  }

  /** Fires what is due now; answers how many executions it created and when it is next needed. */
  async tick(): Promise<{ created: string[]; nextDueAt: Date | null }> {
    const now = this.now();
    const created: string[] = [];
    // Pages of due schedules until fewer than a page remain; bounded, so that a row that
    // cannot move on (its flow changing under it) never spins the loop.
    for (let page = 0; page < 50; page++) {
      const due = await this.schedules.due(now, this.options.batch);
      let moved = 0;
      for (const schedule of due) {
        try {
          const result = await this.fire(schedule, now);
          created.push(...result.created);
          if (result.moved) moved++;
        } catch (error) {
          this.logger.warn({ err: (error as Error).message, namespace: schedule.namespace, flowId: schedule.flowId, triggerId: schedule.triggerId }, "a schedule could not fire; the next tick tries again");
        }
      }
      if (due.length < this.options.batch || moved === 0) break;
    }
    const next = await this.schedules.nextDue();
    const at = next.uninitialised ? now : next.nextFireAt ? new Date(next.nextFireAt) : null;
    return { created, nextDueAt: at && !Number.isNaN(at.getTime()) ? at : null };
  }

  private async fire(s: DueSchedule, now: Date): Promise<{ created: string[]; moved: boolean }> {
    const cron = cronOf(s.cron, s.timezone);
    // A new or changed schedule applies from the first slot after it was written (or
    // after now, if our clock is behind the database's).
    const first = s.nextFireAt ? new Date(s.nextFireAt) : nextSlot(cron, new Date(Math.min(now.getTime(), Date.parse(s.changedAt))));
    if (!first || Number.isNaN(first.getTime()) || first.getTime() > now.getTime()) {
      return { created: [], moved: await this.schedules.advance(s, first && !Number.isNaN(first.getTime()) ? first.toISOString() : NEVER, null) };
    }
    const cutoff = new Date(now.getTime() - this.options.missedAfterMs);
    const limit = this.options.maxSlotsPerTick;
    const onTime = slotsBetween(cron, new Date(Math.max(first.getTime(), cutoff.getTime())), now, limit);
    const missed = s.recover === "NONE" ? [] : latestSlotsBefore(cron, first, cutoff, s.recover === "LAST" ? 1 : limit);
    if (first.getTime() < cutoff.getTime() && s.recover !== "ALL") {
      this.logger.info(
        { namespace: s.namespace, flowId: s.flowId, triggerId: s.triggerId, from: first.toISOString(), until: cutoff.toISOString(), recover: s.recover },
        s.recover === "LAST" ? "schedule slots were missed; only the latest runs (recoverMissedSchedules: LAST)" : "schedule slots were missed and are skipped (recoverMissedSchedules: NONE)",
      );
    }
    const slots = [...missed, ...onTime].slice(-limit);
    if (s.recover === "ALL" && missed.length + onTime.length > slots.length) {
      this.logger.warn(
        { namespace: s.namespace, flowId: s.flowId, triggerId: s.triggerId, from: first.toISOString(), runsFrom: slots[0]!.toISOString(), limit },
        "more schedule slots were missed than one tick runs (recoverMissedSchedules: ALL); only the latest run",
      );
    }
    const created: string[] = [];
    if (slots.length > 0) {
      const inputs = this.inputsFor(s);
      const result = await this.schedules.createExecutions({
        flowPk: s.flowPk,
        triggerId: s.triggerId,
        revision: s.revision,
        slots: slots.map((slot) => {
          const trigger: TriggerInfo = { type: "schedule", triggerId: s.triggerId, scheduledFor: slot.toISOString() };
          return { id: randomUUID(), scheduledFor: slot.toISOString(), trigger };
        }),
        inputs: inputs.values,
        error: inputs.error,
        ...SYSTEM_ACTORS.scheduler,
      });
      // The flow or its trigger changed since the read: the next tick reads it again.
      if (!result.matched) return { created: [], moved: false };
      if (inputs.error) {
        this.logger.warn({ namespace: s.namespace, flowId: s.flowId, triggerId: s.triggerId, executions: result.created }, `scheduled execution failed at once: ${inputs.error}`);
      } else {
        for (const id of result.created) {
          await this.executor.advance(id).catch((error: Error) =>
            this.logger.warn({ err: error.message, executionId: id }, "the first step of a scheduled execution failed; the executor's sweep retries it"),
          );
        }
        created.push(...result.created);
      }
    }
    const next = nextSlot(cron, now);
    const moved = await this.schedules.advance(s, next ? next.toISOString() : NEVER, slots.length > 0 ? slots[slots.length - 1]!.toISOString() : null);
    return { created, moved };
  }

  /**
   * A schedule gives no inputs: the flow's defaults fill them. A flow that requires an
   * input without a default cannot run from a schedule: each slot's execution is
   * created FAILED with this error (visible in its executions), never skipped silently.
   */
  private inputsFor(s: DueSchedule): { values: Record<string, unknown>; error: string | null } {
    const key = `${s.flowPk}:${s.revision}`;
    let memo = this.inputsMemo.get(key);
    if (!memo) {
      const parsed = parseFlowSource(s.source);
      if (!parsed.ok) memo = { values: {}, error: `flow ${s.namespace}/${s.flowId} revision ${s.revision} no longer parses; register it again` };
      else {
        const { values, problems } = checkInputs(parsed.document.inputs, {});
        memo = problems.length === 0
          ? { values, error: null }
          : { values: {}, error: `schedule ${s.triggerId} gives no inputs and ${problems.map((p) => p.message).join("; ")}: give the input a default (defaults:) or make it optional (required: false)` };
      }
      if (this.inputsMemo.size >= 5_000) this.inputsMemo.clear();
      this.inputsMemo.set(key, memo);
    }
    return memo;
  }
}

/**
 * Runs a scheduler until stopped: a tick, then sleep until the earliest next slot
 * (at most `maxSleepMs`). Every replica that runs the orchestrator runs one; the
 * unique key makes them agree (see Scheduler).
 */
export function startScheduler(pool: pg.Pool, executor: ExecutionAdvancer, logger: Logger, options: SchedulerOptions = {}): { scheduler: Scheduler; stop(): Promise<void> } {
  const scheduler = new Scheduler(new ScheduleRepository(pool), executor, logger, options);
  const now = options.now ?? (() => new Date());
  const maxSleepMs = options.maxSleepMs ?? DEFAULT_SCHEDULER_OPTIONS.maxSleepMs;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let sleepMs = maxSleepMs;
      try {
        const { nextDueAt } = await scheduler.tick();
        // Due already after a tick: more than a tick's pages, or a row waiting for a
        // concurrent change; look again soon, without spinning.
        if (nextDueAt) sleepMs = Math.min(maxSleepMs, Math.max(nextDueAt.getTime() - now().getTime(), nextDueAt <= now() ? 100 : 0));
      } catch (error) {
        logger.warn({ err: (error as Error).message }, "the scheduler's tick failed; it runs again shortly");
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleepMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  logger.info({ maxSleepMs }, "scheduler started");
  return {
    scheduler,
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== "now")) as Partial<T>;
}
