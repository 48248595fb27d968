/**
 * The hot flow statements run on their own pool (src/db/prisma.ts), prepared by name and
 * always with their generic plan: once `flows` has statistics, PostgreSQL's own heuristic
 * re-plans put-flow on every execution (measured: 1.9 → 0.8 ms of PostgreSQL CPU per
 * write). Checked on a real PostgreSQL through pg_prepared_statements, which counts the
 * generic and custom plans of each named statement of a session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/db/migrate.ts";
import { openDatabase, type Database } from "../src/db/prisma.ts";
import { createLogger } from "../src/logger.ts";
import { FlowRepository } from "../src/repositories/flow-repository.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";

let pg: ExternalPostgres;
let db: Database;

beforeAll(async () => {
  pg = await startExternalPostgres();
  const url = await pg.createDatabase("flow_statements");
  await migrate(url, createLogger("silent"));
  // One connection each, so the session asked below is the one that ran the statements.
  db = openDatabase(url, { flowPoolSize: 1, prismaPoolSize: 1 });
  // A flow write holds its governing namespace: it must exist.
  await db.prisma.$executeRawUnsafe("INSERT INTO teams (id, name) VALUES (gen_random_uuid(), 'retail')");
  await db.prisma.$executeRawUnsafe("INSERT INTO namespaces (id, name, owner_team_id) SELECT gen_random_uuid(), 'retail.sales', id FROM teams WHERE name = 'retail'");
});
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

describe("the flow statements' pool", () => {
  it("prepares put, get and list once by name and never re-plans them, even after ANALYZE; Prisma's pool keeps the default", async () => {
    const flows = new FlowRepository(db.prisma, db.flowPool);
    const put = (id: string, n: number) =>
      flows.put({
        namespace: "retail.sales",
        flowId: id,
        source: `id: ${id}\nnamespace: retail.sales\ndescription: revision ${n}\n`,
        labels: {},
        description: `revision ${n}`,
        disabled: false,
        expected: undefined,
        derived: { edges: [], tables: [], schedules: [] },
        subject: "test",
        subjectKind: "service-account",
        requestId: undefined,
        governingNamespace: "retail.sales",
      });
    for (let i = 0; i < 300; i++) await put(`f${i}`, 0);
    await db.prisma.$executeRawUnsafe("ANALYZE flows");
    for (let n = 1; n <= 8; n++) {
      expect((await put("f1", n)).outcome).toBe("updated");
      expect((await flows.find("retail.sales", "f1"))?.revision).toBe(n + 1);
      expect(await flows.list("retail.sales", false, { namespace: "retail.sales", flowId: "f100" }, 10)).toHaveLength(10);
    }
    const statements = (
      await db.flowPool.query<{ name: string; generic_plans: string; custom_plans: string }>(
        "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'meshplane_%' ORDER BY name",
      )
    ).rows;
    expect(statements.map((s) => s.name)).toEqual(["meshplane_get_flow", "meshplane_list_flows", "meshplane_put_flow"]);
    for (const s of statements) {
      expect(Number(s.custom_plans), s.name).toBe(0);
      expect(Number(s.generic_plans), s.name).toBeGreaterThan(0);
    }
    expect((await db.flowPool.query("SHOW plan_cache_mode")).rows[0].plan_cache_mode).toBe("force_generic_plan");
    expect(await db.prisma.$queryRawUnsafe("SHOW plan_cache_mode")).toEqual([{ plan_cache_mode: "auto" }]);
  });
});
