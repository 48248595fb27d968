import pg from "pg";

const TIMESTAMPTZ_OID = 1184;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID) as (text: string) => Date;

/** PostgreSQL's text for a UTC timestamptz(≤ 6): `2026-11-21 08:30:00.12+00` (trailing zeros of the fraction dropped). */
const UTC_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz as the API shows it (`Date#toISOString`, milliseconds, `Z`), straight
 * from PostgreSQL's text: a page of flows carries 200 timestamps, and parsing each into a
 * Date only to print it again was ~7 % of the page's CPU. Any other offset or form goes
 * through the driver's own parser, so the answer never depends on the session time zone.
 */
export function timestamptzToIso(text: string): string {
  const m = UTC_TEXT.exec(text);
  if (!m) return parseTimestamptz(text).toISOString();
  return `${m[1]}T${m[2]}.${(m[3] ?? "").padEnd(3, "0").slice(0, 3)}Z`;
}

/** Query `types` that read timestamptz columns as ISO strings and everything else as pg does. */
export const ISO_TIMESTAMP_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMPTZ_OID && format !== "binary" ? timestamptzToIso : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
