import { describe, expect, it } from "vitest";
import { cronProblem } from "../flows/flow-schema.ts";
import { cronOf, latestSlotsBefore, slotsBetween } from "./cron.ts";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

describe("cron slots (croner)", () => {
  it("counts a slot before a fractional reference as before it", () => {
    const c = cronOf("* * * * * *", "UTC");
    expect(iso(latestSlotsBefore(c, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:10.500Z"), 2))).toEqual(["2026-01-01T00:00:09.000Z", "2026-01-01T00:00:10.000Z"]);
    expect(iso(latestSlotsBefore(c, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:10Z"), 1))).toEqual(["2026-01-01T00:00:09.000Z"]);
    expect(iso(latestSlotsBefore(c, new Date("2026-01-01T00:00:09Z"), new Date("2026-01-01T00:00:12Z"), 10))).toEqual(["2026-01-01T00:00:09.000Z", "2026-01-01T00:00:10.000Z", "2026-01-01T00:00:11.000Z"]);
  });

  it("lists slots between two instants, both ends included", () => {
    const c = cronOf("*/15 * * * *", "UTC");
    expect(iso(slotsBetween(c, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:30:00Z"), 10))).toEqual(["2026-01-01T00:00:00.000Z", "2026-01-01T00:15:00.000Z", "2026-01-01T00:30:00.000Z"]);
  });

  it("follows croner's DST rules in Europe/Paris: a fixed time after the gap, an interval skipped in it", () => {
    expect(iso(slotsBetween(cronOf("30 2 * * *", "Europe/Paris"), new Date("2026-03-29T00:00:00Z"), new Date("2026-03-29T23:00:00Z"), 5))).toEqual(["2026-03-29T01:00:00.000Z"]);
    expect(iso(slotsBetween(cronOf("*/20 2 * * *", "Europe/Paris"), new Date("2026-03-29T00:00:00Z"), new Date("2026-03-29T23:00:00Z"), 5))).toEqual([]);
    expect(iso(slotsBetween(cronOf("30 2 * * *", "Europe/Paris"), new Date("2026-10-25T00:00:00Z"), new Date("2026-10-25T23:00:00Z"), 5))).toEqual(["2026-10-25T00:30:00.000Z"]);
  });

  it("validates with the same library: 7 fields, bad values and never-matching dates are refused", () => {
    expect(cronProblem("30 2 * * *", "Europe/Paris")).toBeNull();
    expect(cronProblem("*/5 * * * * *", undefined)).toBeNull();
    expect(cronProblem("@hourly", undefined)).toBeNull();
    expect(cronProblem("0 0 0 * * * 2026", undefined)).toMatch(/5 fields/);
    expect(cronProblem("61 * * * *", undefined)).toMatch(/invalid cron "61 \* \* \* \*": Invalid value for minute/);
    expect(cronProblem("0 0 30 2 *", undefined)).toMatch(/never matches/);
  });
});
