/**
 * The execution state changes (src/sql/executions) on a real PostgreSQL, below HTTP:
 * every file declares its transition and the declared transitions are the ones
 * states.ts allows; a result is recorded once (a duplicate completion, or a late one
 * from a worker whose lease expired, changes nothing).
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/db/migrate.ts";
import { openDatabase, type Database } from "../src/db/prisma.ts";
import { createLogger } from "../src/logger.ts";
import { Executor } from "../src/orchestrator/executor.ts";
import { allowed } from "../src/orchestrator/states.ts";
import { EXECUTION_SQL_DIR, ExecutionRepository } from "../src/repositories/execution-repository.ts";
import { FlowRepository } from "../src/repositories/flow-repository.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";

let pg: ExternalPostgres;
let db: Database;
let executions: ExecutionRepository;
let executor: Executor;

const SOURCE = `id: twice
namespace: retail.sales
tasks:
  - { id: first, type: core.log, message: one }
  - { id: second, type: core.log, message: two }
`;

beforeAll(async () => {
  pg = await startExternalPostgres();
  const url = await pg.createDatabase("execution_statements");
  await migrate(url, createLogger("silent"));
  db = openDatabase(url, { flowPoolSize: 3, prismaPoolSize: 1 });
  executions = new ExecutionRepository(db.flowPool);
  executor = new Executor(executions, createLogger("silent"));
  await db.prisma.$executeRawUnsafe("INSERT INTO teams (id, name) VALUES (gen_random_uuid(), 'retail')");
  await db.prisma.$executeRawUnsafe("INSERT INTO namespaces (id, name, owner_team_id) SELECT gen_random_uuid(), 'retail.sales', id FROM teams WHERE name = 'retail'");
  const flows = new FlowRepository(db.prisma, db.flowPool);
  const put = await flows.put({
    namespace: "retail.sales", flowId: "twice", source: SOURCE, labels: {}, description: "", disabled: false, expected: undefined,
    edges: [], tables: [], subject: "test", subjectKind: "service-account", requestId: undefined, governingNamespace: "retail.sales",
  });
  expect(put.outcome).toBe("created");
});
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

async function newExecution(): Promise<string> {
  const id = await executions.create({
    id: randomUUID(), namespace: "retail.sales", flowId: "twice", revision: 1, inputs: {}, labels: {}, trigger: { type: "api", subject: "test" },
    subject: "test", subjectKind: "service-account", requestId: undefined,
  });
  expect(id).not.toBeNull();
  await executor.advance(id!);
  return id!;
}

describe("execution SQL files", () => {
  it("each declares a transition that states.ts allows, and its UPDATE guards the declared from-states", () => {
    const files = readdirSync(EXECUTION_SQL_DIR).filter((f) => f.endsWith(".sql"));
    const changes = files.filter((f) => /^-- transition:/m.test(readFileSync(new URL(f, EXECUTION_SQL_DIR), "utf8")));
    expect(changes.sort()).toEqual([
      "claim-task-runs.sql", "complete-task-runs.sql", "create-execution.sql", "end-execution.sql", "end-flowable-task-runs.sql", "hold-execution.sql",
      "insert-task-runs.sql", "resubmit-expired-task-runs.sql", "start-execution.sql",
    ]);
    for (const file of changes) {
      const text = readFileSync(new URL(file, EXECUTION_SQL_DIR), "utf8");
      const [, kind, from, to] = /^-- transition: (execution|task_run) (\S+) -> (\S+)$/m.exec(text)!;
      for (const f of from!.split("|")) {
        for (const t of to!.split("|")) {
          if (f === "(new)") continue;
          expect(allowed(kind === "execution" ? "execution" : "taskRun", f, t), `${file}: ${f} -> ${t}`).toBe(true);
        }
        if (f !== "(new)") expect(text, `${file} guards state ${f}`).toMatch(new RegExp(`state (= '${f}'|IN \\([^)]*'${f}')`));
      }
    }
  });
});

describe("a task run's result", () => {
  it("is recorded once: the same completion twice changes one row and writes one event", async () => {
    const id = await newExecution();
    const lease = randomUUID();
    const [claimed] = await executions.claim("worker-a", lease, 1, 30_000);
    expect(claimed).toMatchObject({ executionId: id, taskId: "first", path: "first", attempt: 1 });
    const result = { id: claimed!.id, leaseId: lease, state: "SUCCESS" as const, outputs: { n: 1 }, error: null };
    expect(await executions.complete([result])).toEqual([{ id: claimed!.id, executionId: id }]);
    expect(await executions.complete([result])).toEqual([]);
    expect(await executions.complete([{ ...result, state: "FAILED", error: "late" }])).toEqual([]);
    const run = (await executions.taskRuns(id)).find((r) => r.id === claimed!.id)!;
    expect(run).toMatchObject({ state: "SUCCESS", outputs: { n: 1 }, error: null });
    const events = (await executions.events(id)).filter((e) => e.taskRunId === claimed!.id).map((e) => `${e.from}->${e.to}`);
    expect(events).toEqual(["null->CREATED", "CREATED->RUNNING", "RUNNING->SUCCESS"]);
  });

  it("from a worker whose lease expired is ignored: the run was resubmitted and the new lease's result counts", async () => {
    const id = await newExecution();
    const oldLease = randomUUID();
    const [claimed] = await executions.claim("worker-dead", oldLease, 1, 1);
    expect(claimed?.executionId).toBe(id);
    await new Promise((r) => setTimeout(r, 50));
    expect(await executions.resubmitExpired(100)).toBeGreaterThanOrEqual(1);
    const newLease = randomUUID();
    const [again] = await executions.claim("worker-b", newLease, 1, 30_000);
    expect(again?.id).toBe(claimed!.id);
    expect(await executions.complete([{ id: claimed!.id, leaseId: oldLease, state: "FAILED", outputs: {}, error: "stale" }])).toEqual([]);
    expect(await executions.complete([{ id: claimed!.id, leaseId: newLease, state: "SUCCESS", outputs: {}, error: null }])).toHaveLength(1);
    await executor.advance(id);
    const runs = await executions.taskRuns(id);
    expect(runs.map((r) => `${r.path}:${r.state}`)).toEqual(["first:SUCCESS", "second:CREATED"]);
  });

  it("deciding twice inserts the next task run once", async () => {
    const id = await newExecution();
    await executor.advance(id);
    await Promise.all([executor.advance(id), executor.advance(id)]);
    expect((await executions.taskRuns(id)).map((r) => r.path)).toEqual(["first"]);
  });
});

describe("a decision round", () => {
  it("decides many executions in one transaction; overlapping rounds in any order neither deadlock nor insert twice", async () => {
    const ids = [await newExecution(), await newExecution(), await newExecution()];
    const lease = randomUUID();
    const claimed = (await executions.claim("worker-rounds", lease, 100, 30_000)).filter((c) => ids.includes(c.executionId));
    expect(claimed.map((c) => c.path)).toEqual(["first", "first", "first"]);
    const recorded = await executions.complete(claimed.map((c) => ({ id: c.id, leaseId: lease, state: "SUCCESS" as const, outputs: {}, error: null })));
    expect(recorded).toHaveLength(3);
    // The same executions from three callers at once, in opposite orders (rows are locked in id order).
    await Promise.all([executor.advanceMany(ids), executor.advanceMany([...ids].reverse()), executor.advance(ids[1]!)]);
    for (const id of ids) {
      expect((await executions.taskRuns(id)).map((r) => `${r.path}:${r.state}`)).toEqual(["first:SUCCESS", "second:CREATED"]);
      const mine = (await executions.events(id)).filter((e) => !e.taskRunId).map((e) => `${e.from}->${e.to}`);
      expect(mine).toEqual(["null->CREATED", "CREATED->RUNNING"]);
    }
  });

  it("ends every execution of the round whose last task run succeeded, each with its own end event", async () => {
    const ids = [await newExecution(), await newExecution()];
    for (const path of ["first", "second"]) {
      const lease = randomUUID();
      const mine = (await executions.claim("worker-rounds", lease, 100, 30_000)).filter((c) => ids.includes(c.executionId));
      expect(mine.map((c) => c.path)).toEqual([path, path]);
      await executions.complete(mine.map((c) => ({ id: c.id, leaseId: lease, state: "SUCCESS" as const, outputs: {}, error: null })));
      await executor.advanceMany(ids);
    }
    for (const id of ids) {
      expect((await executions.get(id))?.state).toBe("SUCCESS");
      expect((await executions.events(id)).filter((e) => !e.taskRunId).map((e) => e.to)).toEqual(["CREATED", "RUNNING", "SUCCESS"]);
    }
  });
});
