import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Db = PrismaClient;
export type Pool = pg.Pool;

/** One pool of connections shared by Prisma and by the few hot statements that skip it. */
export interface Database {
  readonly prisma: Db;
  /**
   * For the hot flow statements only (see FlowRepository): through Prisma's runtime the
   * same SQL cost ~15 % more of the API's CPU per request (its result mapping and
   * tracing), which is the margin between missing and meeting the write target.
   */
  readonly pool: Pool;
  close(): Promise<void>;
}

/** Prisma 7 with the pg driver adapter (no native engine, works offline) on our own pool. */
export function openDatabase(databaseUrl: string, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Database {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  // An idle connection dropped by the server must not crash the process: the pool
  // replaces it, and the next query that needs one reports any lasting problem.
  pool.on("error", (error) => options.onIdleError?.(error));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

export { Prisma } from "../generated/prisma/client.ts";
