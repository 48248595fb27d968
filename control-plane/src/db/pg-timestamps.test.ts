import { describe, expect, it } from "vitest";
import { timestamptzToIso } from "./pg-timestamps.ts";

describe("timestamptzToIso", () => {
  it("prints what Date#toISOString prints, for every fraction length and any offset", () => {
    const cases: [string, string][] = [
      ["2026-11-21 08:30:00+00", "2026-11-21T08:30:00.000Z"],
      ["2026-11-21 08:30:00.1+00", "2026-11-21T08:30:00.100Z"],
      ["2026-11-21 08:30:00.12+00", "2026-11-21T08:30:00.120Z"],
      ["2026-11-21 08:30:00.123+00", "2026-11-21T08:30:00.123Z"],
      ["2026-11-21 08:30:00.123456+00", "2026-11-21T08:30:00.123Z"],
      // A session in another time zone: the driver's parser, then UTC.
      ["2026-11-21 09:30:00.5+01", "2026-11-21T08:30:00.500Z"],
      ["2026-11-21 03:00:00-05:30", "2026-11-21T08:30:00.000Z"],
    ];
    for (const [text, iso] of cases) {
      expect(timestamptzToIso(text)).toBe(iso);
      expect(timestamptzToIso(text)).toBe(new Date(Date.parse(iso)).toISOString());
    }
  });
});
