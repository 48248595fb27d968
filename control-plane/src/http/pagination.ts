import { z } from "zod";
import { ValidationError } from "../errors.ts";

/** Keyset pagination for every list: `?limit=&cursor=` → `{items, nextCursor}`. */
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

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  if (!decoded || encodeCursor(decoded) !== cursor) {
    throw new ValidationError("the cursor is not valid; pass the nextCursor of the previous page unchanged", [
      { pointer: "/query/cursor", message: "invalid cursor" },
    ]);
  }
  return decoded;
}

/** Rows fetched with limit + 1, ordered by `key`: the extra row says there is more. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}
