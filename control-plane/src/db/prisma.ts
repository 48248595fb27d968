import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Db = PrismaClient;
export type Pool = pg.Pool;

export interface Database {
  readonly prisma: Db;
  /**
   * For the hot flow statements only (see FlowRepository), which skip Prisma: through
   * its runtime the same SQL cost ~15 % more of the API's CPU per request. Its sessions
   * always use a statement's generic plan: once `flows` has statistics, PostgreSQL's
   * heuristic otherwise re-plans put-flow on every execution, and planning that
   * statement costs more than running it (PostgreSQL CPU per write 1.9 → 0.8 ms, 10
   * connections, 10,000 flows). Prisma's own queries keep the default on their pool.
   */
  readonly flowPool: Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Connections for Prisma's queries. @default 5 */
  readonly prismaPoolSize?: number;
  /** Connections for the hot flow statements. @default 10 */
  readonly flowPoolSize?: number;
  /** An idle connection failed (the pool replaces it). */
  readonly onIdleError?: (error: Error) => void;
}

/** Prisma 7 with the pg driver adapter (no native engine, works offline), and the flow pool beside it. */
export function openDatabase(databaseUrl: string, options: DatabaseOptions = {}): Database {
  // An idle connection dropped by the server must not crash the process: the pool
  // replaces it, and the next query that needs one reports any lasting problem.
  const onError = (error: Error) => options.onIdleError?.(error);
  const prismaPool = new pg.Pool({ connectionString: databaseUrl, max: options.prismaPoolSize ?? 5 });
  prismaPool.on("error", onError);
  const flowPool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.flowPoolSize ?? 10,
    // A SET rather than a startup option, so it also works through connection poolers;
    // awaited before the connection serves a query (if it fails, so does that query).
    onConnect: async (client) => void (await client.query("SET plan_cache_mode = force_generic_plan")),
  });
  flowPool.on("error", onError);
  const prisma = new PrismaClient({ adapter: new PrismaPg(prismaPool) });
  return {
    prisma,
    flowPool,
    close: async () => {
      await prisma.$disconnect();
      await Promise.all([prismaPool.end(), flowPool.end()]);
    },
  };
}

export { Prisma } from "../generated/prisma/client.ts";
