import { readFileSync } from "node:fs";
import type pg from "pg";
import { ISO_TIMESTAMP_TYPES } from "../db/pg-timestamps.ts";
import type { TriggerInfo } from "./execution-repository.ts";

/**
 * The only code touching flow_schedules (written otherwise only by the flows' derived
 * sync, src/sql/flows/derived-sync.sql), and the statement that creates scheduled
 * executions. One SQL file per statement (src/sql/schedules, and
 * src/sql/executions/create-scheduled-executions.sql), prepared by name.
 */
function sql(path: string): string {
  return readFileSync(new URL(`../sql/${path}.sql`, import.meta.url), "utf8");
}
const STATEMENTS = {
  due: { name: "meshplane_s_due_schedules", text: sql("schedules/due-schedules") },
  nextDue: { name: "meshplane_s_next_due", text: sql("schedules/next-due") },
  advance: { name: "meshplane_s_advance_schedule", text: sql("schedules/advance-schedule") },
  create: { name: "meshplane_x_create_scheduled_executions", text: sql("executions/create-scheduled-executions") },
} as const;

export interface DueSchedule {
  flowPk: string;
  triggerId: string;
  cron: string;
  timezone: string;
  recover: "LAST" | "ALL" | "NONE";
  /** ISO; null until the scheduler computed it (new or changed cron/zone). */
  nextFireAt: string | null;
  changedAt: string;
  namespace: string;
  flowId: string;
  revision: number;
  source: string;
}

export interface ScheduledSlot {
  id: string;
  scheduledFor: string;
  trigger: TriggerInfo;
}

type Raw = Record<string, any>;

export class ScheduleRepository {
  constructor(private readonly pool: pg.Pool) {}

  private async run<T extends object>(s: { name: string; text: string }, values: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>({ name: s.name, text: s.text, values, types: ISO_TIMESTAMP_TYPES })).rows;
  }

  async due(now: Date, limit: number): Promise<DueSchedule[]> {
    const rows = await this.run<Raw>(STATEMENTS.due, [now.toISOString(), limit]);
    return rows.map((r) => ({
      flowPk: r["flow_pk"], triggerId: r["trigger_id"], cron: r["cron"], timezone: r["timezone"], recover: r["recover"],
      nextFireAt: r["next_fire_at"] ?? null, changedAt: r["changed_at"], namespace: r["namespace"], flowId: r["flow_id"],
      revision: r["revision"], source: r["source"],
    }));
  }

  /** The earliest next slot (null: none), or now if a schedule waits to be initialised. */
  async nextDue(): Promise<{ nextFireAt: string | null; uninitialised: boolean }> {
    const [r] = await this.run<Raw>(STATEMENTS.nextDue, []);
    return { nextFireAt: r!["next_fire_at"] ?? null, uninitialised: r!["uninitialised"] === true };
  }

  /** False if the row changed since it was read (see advance-schedule.sql). */
  async advance(read: Pick<DueSchedule, "flowPk" | "triggerId" | "nextFireAt" | "changedAt">, nextFireAt: string, lastFiredFor: string | null): Promise<boolean> {
    const rows = await this.run(STATEMENTS.advance, [read.flowPk, read.triggerId, read.nextFireAt, read.changedAt, nextFireAt, lastFiredFor]);
    return rows.length > 0;
  }

  /** `matched` false: the flow or the trigger changed meanwhile (nothing created). `created`: the ids inserted (not those of slots another replica had). */
  async createExecutions(cmd: {
    flowPk: string;
    triggerId: string;
    revision: number;
    slots: readonly ScheduledSlot[];
    inputs: Record<string, unknown>;
    error: string | null;
    subject: string;
    subjectKind: string;
  }): Promise<{ matched: boolean; created: string[] }> {
    const [r] = await this.run<Raw>(STATEMENTS.create, [
      cmd.flowPk, cmd.triggerId, cmd.revision, JSON.stringify(cmd.slots), JSON.stringify(cmd.inputs), cmd.error, cmd.subject, cmd.subjectKind,
    ]);
    return { matched: r!["matched"] === true, created: r!["created"] as string[] };
  }
}
