import type { Db, Prisma } from "../db/prisma.ts";

/** A repository method runs on the client or inside a service's transaction. */
export type Tx = Prisma.TransactionClient | Db;
