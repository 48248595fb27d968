import { Cron } from "croner";

/**
 * The one cron library, for validation (flows/flow-schema.ts) and firing (scheduler.ts),
 * so that what validates is what fires: croner, 5 fields (minute…weekday) or 6 (with
 * seconds first), or an alias such as @daily; in the trigger's IANA zone.
 *
 * DST, as croner documents it (Vixie cron's rules, README "Schedules"):
 * - a fixed time (one value in each of seconds, minutes, hours: `30 2 * * *`) that does
 *   not exist on spring-forward day runs at the first valid time after the gap (03:00
 *   local), and one that happens twice on fall-back day runs once, at the first;
 * - an interval (`0 * * * *`, `*\/15 2 * * *`) skips times that do not exist and runs on
 *   both occurrences of a repeated hour.
 * Times move in real time: a slot is an instant, never repeated.
 */
const cache = new Map<string, Cron>();

export function cronOf(pattern: string, timezone: string): Cron {
  const key = `${timezone}\u0000${pattern}`;
  let cron = cache.get(key);
  if (!cron) {
    // paused, no callback: croner only computes dates, it never starts a timer.
    cron = new Cron(pattern, { timezone, mode: "5-or-6-parts", paused: true });
    if (cache.size >= 5_000) cache.clear();
    cache.set(key, cron);
  }
  return cron;
}

/** The first slot strictly after `after`, or null if the pattern never matches again. */
export function nextSlot(cron: Cron, after: Date): Date | null {
  return cron.nextRun(after);
}

/** Up to `limit` slots in [from, to] (inclusive both ends), oldest first. */
export function slotsBetween(cron: Cron, from: Date, to: Date, limit: number): Date[] {
  const out: Date[] = [];
  let slot = cron.nextRun(new Date(from.getTime() - 1));
  while (slot && slot.getTime() <= to.getTime() && out.length < limit) {
    out.push(slot);
    slot = cron.nextRun(slot);
  }
  return out;
}

/** The latest `limit` slots in [from, before) (exclusive end), oldest first. */
export function latestSlotsBefore(cron: Cron, from: Date, before: Date, limit: number): Date[] {
  if (before.getTime() <= from.getTime() || limit <= 0) return [];
  // croner's previousRuns counts back from the reference's whole second (a slot at
  // 01:59:00 is not before 01:59:00.500 for it): ask from the next whole second and
  // keep what is really before `before`.
  const ref = new Date(Math.ceil(before.getTime() / 1000) * 1000);
  return cron
    .previousRuns(limit + 1, ref)
    .filter((d) => d.getTime() >= from.getTime() && d.getTime() < before.getTime())
    .slice(0, limit)
    .reverse();
}
