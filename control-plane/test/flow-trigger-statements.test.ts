/**
 * Flow triggers below HTTP, on a real PostgreSQL: an upstream end survives a crash
 * between "the upstream ended" and "the downstream was created" (the handler's
 * transaction rolls back, the end stays pending, nothing half-done), and handling it
 * again — by two handlers at once — creates the downstream execution once.
 */
import { NOTHING_DERIVED } from "../src/flows/flow-derived.ts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/db/migrate.ts";
import { openDatabase, type Database } from "../src/db/prisma.ts";
import { createLogger } from "../src/logger.ts";
import { EndHandler } from "../src/orchestrator/end-handler.ts";
import { Executor } from "../src/orchestrator/executor.ts";
import { fireFlowTriggers } from "../src/orchestrator/flow-triggers.ts";
import { ExecutionRepository } from "../src/repositories/execution-repository.ts";
import { FlowRepository } from "../src/repositories/flow-repository.ts";
import { FlowTriggerRepository } from "../src/repositories/flow-trigger-repository.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";

let pg: ExternalPostgres;
let db: Database;
let executions: ExecutionRepository;
let followUps: FlowTriggerRepository;
let executor: Executor;
const logger = createLogger("silent");

beforeAll(async () => {
  pg = await startExternalPostgres();
  const url = await pg.createDatabase("flow_trigger_statements");
  await migrate(url, logger);
  db = openDatabase(url, { flowPoolSize: 4, prismaPoolSize: 1 });
  executions = new ExecutionRepository(db.flowPool);
  followUps = new FlowTriggerRepository(db.flowPool);
  executor = new Executor(executions, logger, followUps);
  await db.prisma.$executeRawUnsafe("INSERT INTO teams (id, name) VALUES (gen_random_uuid(), 'retail')");
  await db.prisma.$executeRawUnsafe("INSERT INTO namespaces (id, name, owner_team_id) SELECT gen_random_uuid(), 'retail.sales', id FROM teams WHERE name = 'retail'");
  const flows = new FlowRepository(db.prisma, db.flowPool);
  const base = { namespace: "retail.sales", labels: {}, description: "", disabled: false, expected: undefined, subject: "test", subjectKind: "service-account", requestId: undefined, governingNamespace: "retail.sales" };
  expect((await flows.put({ ...base, flowId: "up", source: "id: up\nnamespace: retail.sales\ntasks:\n  - { id: t, type: core.log, message: up }\n", derived: NOTHING_DERIVED })).outcome).toBe("created");
  const down = "id: down\nnamespace: retail.sales\ntasks:\n  - { id: t, type: core.log, message: down }\ntriggers:\n  - { id: after, type: flow, upstream: [{ namespace: retail.sales, flowId: up }] }\n";
  expect((await flows.put({ ...base, flowId: "down", source: down, derived: { ...NOTHING_DERIVED, edges: [{ namespace: "retail.sales", flowId: "up", kind: "trigger", triggerId: "after", states: ["SUCCESS"], windowMs: 86_400_000 }] } })).outcome).toBe("created");
});
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

const downstreamCount = async () => Number((await db.flowPool.query("SELECT count(*) AS n FROM executions WHERE flow_id = 'down'")).rows[0].n);

describe("an upstream end", () => {
  it("survives a crash before the downstream is created, and is then handled once", async () => {
    const id = (await executions.create({ id: randomUUID(), namespace: "retail.sales", flowId: "up", revision: 1, inputs: {}, labels: {}, trigger: { type: "api" }, subject: "test", subjectKind: "service-account", requestId: undefined }))!;
    await executor.advance(id);
    const lease = randomUUID();
    const [claimed] = await executions.claim("w", lease, 1, 30_000);
    await executions.complete([{ id: claimed!.id, leaseId: lease, state: "SUCCESS", outputs: {}, error: null }]);
    await executor.advance(id);
    expect((await executions.get(id))!.state).toBe("SUCCESS");

    // The handler dies after deciding to fire, before its commit.
    await expect(
      followUps.transaction(async (client) => {
        const ended = await followUps.claimEnded(client, []);
        expect(ended?.id).toBe(id);
        expect(await fireFlowTriggers(followUps, client, ended!)).toHaveLength(1);
        throw new Error("the process died here");
      }),
    ).rejects.toThrow("the process died here");
    expect(await downstreamCount()).toBe(0);
    expect((await db.flowPool.query("SELECT end_handled FROM executions WHERE id = $1", [id])).rows[0].end_handled).toBe(false);
    expect(await followUps.downstreamOf(id)).toEqual([]);

    // Two handlers (two replicas) take it up at once: one downstream execution.
    const a = new EndHandler(followUps, executor, logger);
    const b = new EndHandler(followUps, executor, logger);
    await Promise.all([a.drain(), b.drain(), a.drain()]);
    expect(await downstreamCount()).toBe(1);
    const [row] = await followUps.downstreamOf(id);
    expect(row).toMatchObject({ namespace: "retail.sales", flowId: "down", triggerId: "after", consumed: true, refused: null });
    expect(row!.executionId).not.toBeNull();

    // Even forced to handle the same end again (its mark reset), the trigger's key counts it once.
    await db.flowPool.query("UPDATE executions SET end_handled = false WHERE id = $1", [id]);
    await a.drain();
    expect(await downstreamCount()).toBe(1);
  });
});

describe("ends without follow-ups", () => {
  it("are marked handled in bulk; an end with a downstream trigger or a waiting parent is left to the handler", async () => {
    const end = async (flowId: string, parent?: { executionId: string; taskRunId: string }) => {
      const id = (await executions.create({ id: randomUUID(), namespace: "retail.sales", flowId, revision: 1, inputs: {}, labels: {}, trigger: { type: "api" }, subject: "test", subjectKind: "service-account", requestId: undefined, ...(parent ? { parent } : {}) }))!;
      await db.flowPool.query("UPDATE executions SET state = 'SUCCESS', started_at = now(), ended_at = now() WHERE id = $1", [id]);
      return id;
    };
    // `down` has no trigger listening to it; `up` has (down's); the child waits in a parent's run.
    const plain = [await end("down"), await end("down"), await end("down")];
    const listened = await end("up");
    const child = await end("down", { executionId: listened, taskRunId: randomUUID() });
    const handled = async (id: string) => (await db.flowPool.query("SELECT end_handled FROM executions WHERE id = $1", [id])).rows[0].end_handled as boolean;

    expect(await followUps.markEndsWithoutFollowUps(2)).toBe(2);
    expect(await followUps.markEndsWithoutFollowUps(100)).toBe(1);
    expect(await followUps.markEndsWithoutFollowUps(100)).toBe(0);
    for (const id of plain) expect(await handled(id)).toBe(true);
    expect(await handled(listened)).toBe(false);
    expect(await handled(child)).toBe(false);
    // A disabled trigger listens to nothing: its upstream's ends are plain too.
    await db.flowPool.query("UPDATE flow_edges SET disabled = true WHERE upstream_flow_id = 'up'");
    try {
      expect(await followUps.markEndsWithoutFollowUps(100)).toBe(1);
      expect(await handled(listened)).toBe(true);
    } finally {
      await db.flowPool.query("UPDATE flow_edges SET disabled = false WHERE upstream_flow_id = 'up'");
    }
    expect(await handled(child)).toBe(false);
    await db.flowPool.query("UPDATE executions SET end_handled = true WHERE id = $1", [child]);
  });
});
