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
import { orchestratorRegistry } from "../src/orchestrator/metrics.ts";
import { WakeListener } from "../src/orchestrator/wake.ts";
import { allowed } from "../src/orchestrator/states.ts";
import { EXECUTION_SQL_DIR, ExecutionRepository } from "../src/repositories/execution-repository.ts";
import { FlowRepository } from "../src/repositories/flow-repository.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";

let pg: ExternalPostgres;
let db: Database;
let executions: ExecutionRepository;
let executor: Executor;
let url: string;

const SOURCE = `id: twice
namespace: retail.sales
tasks:
  - { id: first, type: core.log, message: one }
  - { id: second, type: core.log, message: two }
`;

beforeAll(async () => {
  pg = await startExternalPostgres();
  url = await pg.createDatabase("execution_statements");
  await migrate(url, createLogger("silent"));
  db = openDatabase(url, { flowPoolSize: 3, prismaPoolSize: 1 });
  executions = new ExecutionRepository(db.flowPool);
  executor = new Executor(executions, createLogger("silent"));
  await db.prisma.$executeRawUnsafe("INSERT INTO teams (id, name) VALUES (gen_random_uuid(), 'retail')");
  await db.prisma.$executeRawUnsafe("INSERT INTO namespaces (id, name, owner_team_id) SELECT gen_random_uuid(), 'retail.sales', id FROM teams WHERE name = 'retail'");
  const flows = new FlowRepository(db.prisma, db.flowPool);
  const put = await flows.put({
    namespace: "retail.sales", flowId: "twice", source: SOURCE, labels: {}, description: "", disabled: false, expected: undefined,
    derived: { edges: [], tables: [], schedules: [] }, subject: "test", subjectKind: "service-account", requestId: undefined, governingNamespace: "retail.sales",
  });
  expect(put.outcome).toBe("created");
  const bounded = await flows.put({
    namespace: "retail.sales", flowId: "bounded", source: SOURCE.replace("id: twice", "id: bounded\ntimeout: PT1H"), labels: {}, description: "", disabled: false, expected: undefined,
    derived: { edges: [], tables: [], schedules: [] }, subject: "test", subjectKind: "service-account", requestId: undefined, governingNamespace: "retail.sales",
  });
  expect(bounded.outcome).toBe("created");
});
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

async function newExecution(flowId = "twice", advance = true): Promise<string> {
  const id = await executions.create({
    id: randomUUID(), namespace: "retail.sales", flowId, revision: 1, inputs: {}, labels: {}, trigger: { type: "api", subject: "test" },
    subject: "test", subjectKind: "service-account", requestId: undefined,
  });
  expect(id).not.toBeNull();
  if (advance) await executor.advance(id!);
  return id!;
}

async function endedCount(state: string): Promise<number> {
  const metric = await orchestratorRegistry.getSingleMetric("meshplane_executions_ended_total")!.get();
  return metric.values.find((v) => v.labels["state"] === state)?.value ?? 0;
}

describe("execution SQL files", () => {
  it("each declares a transition that states.ts allows, and its UPDATE guards the declared from-states", () => {
    const files = readdirSync(EXECUTION_SQL_DIR).filter((f) => f.endsWith(".sql"));
    const changes = files.filter((f) => /^-- transition:/m.test(readFileSync(new URL(f, EXECUTION_SQL_DIR), "utf8")));
    expect(changes.sort()).toEqual([
      "claim-task-runs.sql", "complete-task-runs.sql", "create-execution.sql", "create-scheduled-executions.sql", "end-execution.sql",
      "end-flowable-task-runs.sql", "end-killed-task-runs.sql", "end-killing-execution.sql", "end-subflow-task-run.sql", "hold-execution.sql",
      "insert-task-runs.sql", "kill-execution.sql", "kill-pending-execution.sql", "kill-task-runs.sql", "queue-restarted-execution.sql", "restart-execution.sql",
      "resubmit-expired-task-runs.sql", "start-execution.sql", "stop-task-runs.sql",
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

describe("a kill", () => {
  it("reaches the children an execution started (parent_execution_id), recursively, and leaves ended ones alone", async () => {
    const parent = await newExecution();
    const child = await newExecution();
    const grandchild = await newExecution();
    const endedChild = await newExecution();
    await db.flowPool.query("UPDATE executions SET parent_execution_id = $1 WHERE id = ANY($2::uuid[])", [parent, [child, endedChild]]);
    await db.flowPool.query("UPDATE executions SET parent_execution_id = $1 WHERE id = $2", [child, grandchild]);
    await db.flowPool.query("UPDATE executions SET state = 'SUCCESS', ended_at = CURRENT_TIMESTAMP WHERE id = $1", [endedChild]);
    // Every first task is held by a worker (all claimable runs are claimed): the kills stop them through KILLING.
    const lease = randomUUID();
    const claimed = await executions.claim("worker-k", lease, 100, 30_000);
    const childRun = claimed.find((c) => c.executionId === child)!;
    expect(childRun).toBeDefined();
    expect(await executor.kill(parent, null)).toBe("RUNNING");
    const state = async (id: string) => (await executions.get(id))!.state;
    expect([await state(parent), await state(child), await state(grandchild), await state(endedChild)]).toEqual(["KILLING", "KILLING", "KILLING", "SUCCESS"]);
    expect(await executions.killingAmong([childRun.id])).toEqual([childRun.id]);
    // The fallback when a kill's NOTIFY is lost: the worker's heartbeat answers the runs a kill reached.
    expect(await executions.heartbeat("worker-k", [lease], 30_000)).toEqual(expect.arrayContaining([childRun.id]));
    // The worker reports them stopped: a completion of a KILLING run records KILLED whatever it says.
    const mine = claimed.filter((c) => [parent, child, grandchild].includes(c.executionId));
    const recorded = await executions.complete(mine.map((c) => ({ id: c.id, leaseId: lease, state: "SUCCESS" as const, outputs: {}, error: null })));
    expect(recorded.map((r) => r.id).sort()).toEqual(mine.map((c) => c.id).sort());
    for (const id of [parent, child, grandchild]) await executor.advance(id);
    expect([await state(parent), await state(child), await state(grandchild)]).toEqual(["KILLED", "KILLED", "KILLED"]);
    expect((await executions.taskRuns(child)).map((r) => r.state)).toEqual(["KILLED"]);
    const others = claimed.filter((c) => !mine.includes(c));
    await executions.complete(others.map((c) => ({ id: c.id, leaseId: lease, state: "SUCCESS" as const, outputs: {}, error: null })));
  });
});

describe("a kill's wake-up", () => {
  it("reaches every listening worker with the execution id once the kill commits", async () => {
    const wake = new WakeListener(url, createLogger("silent"));
    await wake.start();
    const heard: string[] = [];
    wake.onKill((id) => heard.push(id));
    try {
      const id = await newExecution();
      const lease = randomUUID();
      const claimed = await executions.claim("worker-n", lease, 100, 30_000);
      expect(claimed.some((c) => c.executionId === id)).toBe(true);
      await executor.kill(id, null);
      for (let i = 0; i < 100 && !heard.includes(id); i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toContain(id);
      await executions.complete(claimed.map((c) => ({ id: c.id, leaseId: lease, state: "SUCCESS" as const, outputs: {}, error: null })));
    } finally {
      await wake.close();
    }
  });
});

describe("a decision round with kills, restarts and timeouts", () => {
  it("starts each execution with its own flow's timeout, and a restarted (RETRYING) one like a new one", async () => {
    const [plain, bounded] = [await newExecution("twice", false), await newExecution("bounded", false)];
    await executor.advanceMany([plain, bounded]);
    const rows = await db.flowPool.query<{ id: string; state: string; seconds: number | null }>(
      "SELECT id, state, extract(epoch FROM timeout_at - started_at)::float8 AS seconds FROM executions WHERE id = ANY($1::uuid[])", [[plain, bounded]],
    );
    const byId = new Map(rows.rows.map((r) => [r.id, r]));
    expect(byId.get(plain)).toMatchObject({ state: "RUNNING", seconds: null });
    expect(byId.get(bounded)!.state).toBe("RUNNING");
    expect(byId.get(bounded)!.seconds).toBeGreaterThan(3599);
    expect(byId.get(bounded)!.seconds).toBeLessThan(3601);
    // Both killed before a worker took their first run: KILLED at once (no run was running).
    expect(await executor.kill(plain, null)).toBe("RUNNING");
    expect(await executor.kill(bounded, null)).toBe("RUNNING");
    const restarted = await executor.restart(bounded, { subject: "test", subjectKind: "service-account" });
    expect(restarted).toEqual({ state: "KILLED", restarted: true });
    const events = (await executions.events(bounded)).filter((e) => !e.taskRunId).map((e) => `${e.from}->${e.to}`);
    expect(events).toEqual(["null->CREATED", "CREATED->RUNNING", "RUNNING->KILLING", "KILLING->KILLED", "KILLED->RETRYING", "RETRYING->RUNNING"]);
    const timeout = await db.flowPool.query<{ seconds: number }>("SELECT extract(epoch FROM timeout_at - clock_timestamp())::float8 AS seconds FROM executions WHERE id = $1", [bounded]);
    expect(timeout.rows[0]!.seconds).toBeGreaterThan(3500);
  });

  it("wakes the end handlers on a kill too: before the start (KILLED at once) and once a killed one's runs stopped", async () => {
    const wake = new WakeListener(url, createLogger("silent"));
    await wake.start();
    let woken = 0;
    wake.onExecutionEnd(() => woken++);
    const heard = async () => {
      for (let i = 0; i < 100 && woken === 0; i++) await new Promise((r) => setTimeout(r, 20));
      const got = woken;
      woken = 0;
      return got;
    };
    try {
      const pending = await newExecution("twice", false);
      expect(await executor.kill(pending, null)).toBe("CREATED");
      expect((await executions.get(pending))!.state).toBe("KILLED");
      expect(await heard()).toBeGreaterThan(0);

      const running = await newExecution();
      const lease = randomUUID();
      const claimed = (await executions.claim("worker-kill-wake", lease, 100, 30_000)).filter((c) => c.executionId === running);
      expect(claimed).toHaveLength(1);
      await executor.kill(running, null);
      expect((await executions.get(running))!.state).toBe("KILLING");
      expect(woken).toBe(0);
      await executions.complete(claimed.map((c) => ({ id: c.id, leaseId: lease, state: "KILLED" as const, outputs: {}, error: null })));
      await executor.advanceMany([running]);
      expect((await executions.get(running))!.state).toBe("KILLED");
      expect(await heard()).toBeGreaterThan(0);
    } finally {
      await wake.close();
    }
  });

  it("ends the KILLING executions of a round once their runs stopped, counts every end, and wakes the end handlers", async () => {
    const wake = new WakeListener(url, createLogger("silent"));
    await wake.start();
    let woken = 0;
    wake.onExecutionEnd(() => woken++);
    try {
      const ids = [await newExecution(), await newExecution(), await newExecution()];
      const lease = randomUUID();
      const claimed = await executions.claim("worker-round-kill", lease, 100, 30_000);
      const mine = claimed.filter((c) => ids.includes(c.executionId));
      expect(mine).toHaveLength(3);
      // Two killed while their runs run: KILLING until the worker reports them stopped.
      for (const id of ids.slice(0, 2)) await executor.kill(id, null);
      const [killedBefore, successBefore] = [await endedCount("KILLED"), await endedCount("SUCCESS")];
      await executions.complete(claimed.map((c) => ({ id: c.id, leaseId: lease, state: "SUCCESS" as const, outputs: {}, error: null })));
      await executor.advanceMany(ids);
      // The third one's next run, then its end: in rounds too.
      const next = (await executions.claim("worker-round-kill", lease, 100, 30_000)).filter((c) => c.executionId === ids[2]);
      expect(next.map((c) => c.path)).toEqual(["second"]);
      await executions.complete(next.map((c) => ({ id: c.id, leaseId: lease, state: "SUCCESS" as const, outputs: {}, error: null })));
      await executor.advanceMany(ids);
      const states = await Promise.all(ids.map(async (id) => (await executions.get(id))!.state));
      expect(states).toEqual(["KILLED", "KILLED", "SUCCESS"]);
      expect((await endedCount("KILLED")) - killedBefore).toBe(2);
      expect((await endedCount("SUCCESS")) - successBefore).toBe(1);
      for (let i = 0; i < 100 && woken === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(woken).toBeGreaterThan(0);
    } finally {
      await wake.close();
    }
  });
});
