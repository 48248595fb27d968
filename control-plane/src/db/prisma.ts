import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { closerOf } from "./pool-close.ts";

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
  /**
   * statement_timeout of every session of both pools: PostgreSQL itself cancels a
   * statement running longer (SQLSTATE 57014), so no request can hold a backend for
   * minutes, nor leave one running after this process has gone. @default 30000
   */
  readonly statementTimeoutMs?: number;
  /** An idle connection failed (the pool replaces it). */
  readonly onIdleError?: (error: Error) => void;
}

/** Prisma 7 with the pg driver adapter (no native engine, works offline), and the flow pool beside it. */
export function openDatabase(databaseUrl: string, options: DatabaseOptions = {}): Database {
  // An idle connection dropped by the server must not crash the process: the pool
  // replaces it, and the next query that needs one reports any lasting problem.
  const onError = (error: Error) => options.onIdleError?.(error);
  // SETs rather than startup options, so they also work through connection poolers;
  // awaited before the connection serves a query (if they fail, so does that query).
  const timeout = `SET statement_timeout = ${Math.trunc(options.statementTimeoutMs ?? 30_000)}`;
  const prismaPool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.prismaPoolSize ?? 5,
    onConnect: async (client) => void (await client.query(timeout)),
  });
  prismaPool.on("error", onError);
  const flowPool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.flowPoolSize ?? 10,
    onConnect: async (client) => void (await client.query(`${timeout}; SET plan_cache_mode = force_generic_plan`)),
  });
  flowPool.on("error", onError);
  const closers = [closerOf(prismaPool), closerOf(flowPool)];
  const prisma = new PrismaClient({ adapter: new PrismaPg(prismaPool) });
  return {
    prisma,
    flowPool,
    close: async () => {
      await prisma.$disconnect();
      await Promise.all(closers.map((close) => close()));
    },
  };
}

export { Prisma } from "../generated/prisma/client.ts";
