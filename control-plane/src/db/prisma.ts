import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";

export type Db = PrismaClient;

/**
 * Prisma 7 with the pg driver adapter: no native engine, works offline.
 * `preparedStatements` maps the exact SQL text of hot statements to a name so that
 * PostgreSQL plans them once per connection (see FLOW_STATEMENTS for the figures);
 * any other statement stays unnamed.
 */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number; preparedStatements?: ReadonlyMap<string, string> } = {}): Db {
  const names = options.preparedStatements;
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: options.poolSize ?? 10 },
    names ? { statementNameGenerator: (query) => names.get(query.sql) as string } : undefined,
  );
  return new PrismaClient({ adapter });
}

export { Prisma } from "../generated/prisma/client.ts";
