/**
 * How loads write a table (SPEC §7): the table contract's `feedType`, a `sql.query`
 * task's `writeDisposition`, `feed_type` in domain.yaml/table.yaml and the provider's
 * `feed_type` attribute are all this one list.
 */
export const FEED_TYPES = ["WRITE_APPEND", "WRITE_TRUNCATE", "MODE_DELTA"] as const;
export type FeedType = (typeof FEED_TYPES)[number];

export function isFeedType(value: unknown): value is FeedType {
  return typeof value === "string" && (FEED_TYPES as readonly string[]).includes(value);
}
