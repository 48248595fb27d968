import { z } from "zod";
import { ValidationError } from "./errors.ts";
import { datasetName, flowId, namespaceName, tableName } from "./names.ts";

/**
 * Keyset pagination for every list: `?limit=&cursor=` → `{items, nextCursor}`. Below the
 * services (which decode and encode cursors) and used by the routes (the query and page
 * schemas), so that the scheduler and workers call services without anything of HTTP.
 */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe("page size, 1-500"),
  cursor: z.string().max(500).optional().describe("nextCursor of the previous page"),
});
export type PageQuery = z.infer<typeof pageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

/**
 * What a list's cursor holds, so that a tampered cursor is a 400 here rather than a
 * value PostgreSQL refuses (a uuid column compared with "x", a bigint past 2^63, a NUL).
 * `parse` answers the key, or undefined when the decoded text is not one.
 */
export interface CursorKind<T> {
  parse(decoded: string): T | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BIGINT = 9223372036854775807n;

export const cursorKinds = {
  /** Lists ordered by a uuid id: role bindings, trigger grants, API keys. */
  uuid: { parse: (d) => (UUID.test(d) ? d : undefined) } satisfies CursorKind<string>,
  /** Lists ordered by name: teams, service accounts, namespaces (names are [a-z0-9_.-], names.ts). */
  name: { parse: (d) => (/^[a-z0-9_.-]{1,200}$/.test(d) ? d : undefined) } satisfies CursorKind<string>,
  /** Lists ordered by a positive bigint id (the audit log). */
  bigintId: {
    parse: (d) => {
      if (!/^[1-9]\d{0,18}$/.test(d)) return undefined;
      const id = BigInt(d);
      return id <= MAX_BIGINT ? id : undefined;
    },
  } satisfies CursorKind<bigint>,
  /** Flow revisions, newest first. */
  revision: { parse: (d) => (/^[1-9]\d{0,8}$/.test(d) ? Number(d) : undefined) } satisfies CursorKind<number>,
  /** Flow lists: `namespace NUL id` (NUL cannot occur in either). */
  flowKey: {
    parse: (d) => {
      const [ns, id, ...rest] = d.split("\u0000");
      return rest.length === 0 && namespaceName.safeParse(ns).success && flowId.safeParse(id).success ? { namespace: ns!, flowId: id! } : undefined;
    },
  } satisfies CursorKind<{ namespace: string; flowId: string }>,
  /** Executions, newest first: `createdAt|id`. */
  executionKey: {
    parse: (d) => {
      const [createdAt, id, ...rest] = d.split("|");
      return rest.length === 0 && createdAt && id && UUID.test(id) && !Number.isNaN(Date.parse(createdAt)) ? { createdAt, id } : undefined;
    },
  } satisfies CursorKind<{ createdAt: string; id: string }>,
  /** Execution logs, oldest first: a positive id below 2^53 (the log table's bigserial, read as a number). */
  logId: { parse: (d) => (/^[1-9]\d{0,14}$/.test(d) ? Number(d) : undefined) } satisfies CursorKind<number>,
  /** Table contracts: the JSON of `[dataset, table]`. */
  tableKey: {
    parse: (d) => {
      let value: unknown;
      try {
        value = JSON.parse(d);
      } catch {
        return undefined;
      }
      if (!Array.isArray(value) || value.length !== 2 || !datasetName.safeParse(value[0]).success || !tableName.safeParse(value[1]).success) return undefined;
      return { dataset: value[0] as string, table: value[1] as string };
    },
  } satisfies CursorKind<{ dataset: string; table: string }>,
};

export function decodeCursor<T>(cursor: string | undefined, kind: CursorKind<T>): T | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const key = decoded && encodeCursor(decoded) === cursor ? kind.parse(decoded) : undefined;
  if (key === undefined) throw invalidCursor();
  return key;
}

/** Also for a well-formed cursor of another list (another namespace's flows). */
export function invalidCursor(): ValidationError {
  return new ValidationError("the cursor is not valid for this list; pass the nextCursor of the previous page unchanged, or omit cursor for the first page", [
    { pointer: "/query/cursor", message: "invalid cursor" },
  ]);
}

/** Rows fetched with limit + 1, ordered by `key`: the extra row says there is more. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}
