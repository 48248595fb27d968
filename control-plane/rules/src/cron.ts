import { Cron } from "croner";

/**
 * Whether a schedule trigger's cron can fire, in its time zone: croner (the control
 * plane's scheduler fires with it, control-plane/src/orchestrator/cron.ts, with these
 * options), 5 fields (minute…weekday), 6 (seconds first) or an alias such as @daily.
 * The control plane checks it at PUT and validate, the modules at synth time.
 */
export const CRON_OPTIONS = { mode: "5-or-6-parts", paused: true } as const;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The problem with a cron in a zone (default UTC), or null; `now` is only where "never matches" is looked from. */
export function cronProblem(cron: string, timezone?: string, now: Date = new Date()): string | null {
  if (timezone !== undefined && !isTimeZone(timezone)) return `unknown time zone "${timezone}": use an IANA name such as Europe/Paris or UTC`;
  const fields = cron.trim().split(/\s+/);
  if (!cron.trim().startsWith("@") && fields.length !== 5 && fields.length !== 6) {
    return `invalid cron "${cron}": expected 5 fields (minute hour day-of-month month day-of-week), 6 with seconds, or an alias such as @daily`;
  }
  try {
    // paused, no callback: croner only computes dates, it never starts a timer.
    const parsed = new Cron(cron, { ...CRON_OPTIONS, timezone: timezone ?? "UTC" });
    if (parsed.nextRun(now) === null) return `cron "${cron}" never matches a date (such as February 30); fix the day and month fields`;
    return null;
  } catch (error) {
    return `invalid cron "${cron}": ${(error as Error).message.replace(/^CronPattern: /, "")}`;
  }
}
