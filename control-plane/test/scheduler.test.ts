/**
 * The scheduler on a real PostgreSQL with a fake clock (issue 11 item 3): flows written
 * through the real flow statements (their derived sync fills flow_schedules), ticks
 * driven by hand. DST in Europe/Paris (2026-03-29 spring forward, 2026-10-25 fall back),
 * 6-field crons, one execution per slot with two scheduler replicas on one database,
 * missed-slot recovery, new revisions, disabled/deleted flows and removed triggers.
 */
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/db/migrate.ts";
import { openDatabase, type Database } from "../src/db/prisma.ts";
import { deriveFlowData } from "../src/flows/flow-derived.ts";
import { parseFlowSource } from "../src/flows/flow-parser.ts";
import { flowReferences } from "../src/flows/flow-references.ts";
import { createLogger } from "../src/logger.ts";
import { Scheduler, type SchedulerOptions } from "../src/orchestrator/scheduler.ts";
import { FlowRepository } from "../src/repositories/flow-repository.ts";
import { ScheduleRepository } from "../src/repositories/schedule-repository.ts";
import { resyncOutdatedDerived } from "../src/services/flow-derived-resync.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";

const NS = "retail.sched";
let pgServer: ExternalPostgres;
let db: Database;
let replicaPool: pg.Pool;
let flows: FlowRepository;
let clock = new Date();
const advanced: string[] = [];

beforeAll(async () => {
  pgServer = await startExternalPostgres();
  const url = await pgServer.createDatabase("scheduler");
  await migrate(url, createLogger("silent"));
  db = openDatabase(url, { flowPoolSize: 3, prismaPoolSize: 1 });
  replicaPool = new pg.Pool({ connectionString: url, max: 3 });
  flows = new FlowRepository(db.prisma, db.flowPool);
  await db.prisma.$executeRawUnsafe("INSERT INTO teams (id, name) VALUES (gen_random_uuid(), 'retail')");
  await db.prisma.$executeRawUnsafe(`INSERT INTO namespaces (id, name, owner_team_id) SELECT gen_random_uuid(), '${NS}', id FROM teams WHERE name = 'retail'`);
});
// Each test's schedules are its own: the next test's clock would otherwise fire them too.
afterEach(async () => void (await db.flowPool.query("DELETE FROM flow_schedules")));
afterAll(async () => {
  await replicaPool?.end();
  await db?.close();
  await pgServer?.stop();
});

function scheduler(options: SchedulerOptions = {}, pool: pg.Pool = db.flowPool): Scheduler {
  return new Scheduler(new ScheduleRepository(pool), { advance: async (id) => void advanced.push(id) }, createLogger("silent"), { now: () => clock, ...options });
}

/** PUT through the real flow statement (and its derived sync), as the flow service does. */
async function putFlow(id: string, body: string): Promise<number> {
  const source = `id: ${id}\nnamespace: ${NS}\n${body}`;
  const parsed = parseFlowSource(source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const doc = parsed.document;
  const result = await flows.put({
    namespace: NS, flowId: id, source, labels: {}, description: "", disabled: doc.disabled ?? false, expected: undefined,
    derived: deriveFlowData(doc, flowReferences(doc)), subject: "test", subjectKind: "service-account", requestId: undefined, governingNamespace: NS,
  });
  expect(["created", "updated", "revived"]).toContain(result.outcome);
  return result.row!.revision;
}

const TASKS = "tasks:\n  - { id: hello, type: core.log, message: 'slot {{ trigger.date }}' }\n";
const schedule = (id: string, cron: string, extra = "") => `  - { id: ${id}, type: schedule, cron: "${cron}"${extra} }\n`;

async function slots(flowId: string, triggerId?: string): Promise<string[]> {
  const rows = await q(
    `SELECT scheduled_for FROM executions WHERE namespace = $1 AND flow_id = $2 AND ($3::text IS NULL OR schedule_trigger_id = $3) ORDER BY scheduled_for`,
    [NS, flowId, triggerId ?? null],
  );
  return rows.map((r) => r.scheduled_for.toISOString());
}
async function q(sql: string, params: unknown[] = []): Promise<any[]> {
  return (await db.flowPool.query(sql, params)).rows;
}

/** Ticks from `from` to `to` every `stepMs` (the clock set before each tick). */
async function run(s: Scheduler | Scheduler[], from: string, to: string, stepMs: number): Promise<void> {
  const all = Array.isArray(s) ? s : [s];
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMs) {
    clock = new Date(t);
    await Promise.all(all.map((x) => x.tick()));
  }
}

const hourly = (fromUtc: string, count: number) => Array.from({ length: count }, (_, i) => new Date(Date.parse(fromUtc) + i * 3_600_000).toISOString());

describe("the derived sync", () => {
  it("stores trigger edges with their trigger id, states and window, schedules of enabled triggers only, and removes all on delete", async () => {
    await putFlow("up", TASKS);
    await putFlow(
      "derived",
      TASKS +
        "triggers:\n" +
        "  - { id: onfail, type: flow, upstream: [{ namespace: retail.sched, flowId: up }], states: [FAILED, KILLED], window: PT2H }\n" +
        "  - { id: onok, type: flow, upstream: [{ namespace: retail.sched, flowId: up }] }\n" +
        schedule("nightly", "30 2 * * *", ", timezone: Europe/Paris, recoverMissedSchedules: ALL") +
        schedule("off", "0 * * * *", ", disabled: true"),
    );
    const edges = await q("SELECT trigger_id, kind, states, window_ms::int AS window_ms FROM flow_edges e JOIN flows f ON f.id = e.flow_pk WHERE f.flow_id = 'derived' ORDER BY trigger_id"
    );
    expect(edges).toEqual([
      { trigger_id: "onfail", kind: "trigger", states: ["FAILED", "KILLED"], window_ms: 7_200_000 },
      { trigger_id: "onok", kind: "trigger", states: ["SUCCESS"], window_ms: 86_400_000 },
    ]);
    const schedules = () => q("SELECT trigger_id, cron, timezone, recover FROM flow_schedules s JOIN flows f ON f.id = s.flow_pk WHERE f.flow_id = 'derived'");
    expect(await schedules()).toEqual([{ trigger_id: "nightly", cron: "30 2 * * *", timezone: "Europe/Paris", recover: "ALL" }]);
    const deleted = await flows.softDelete({ namespace: NS, flowId: "derived", force: false, expected: undefined, subject: "test", subjectKind: "service-account", requestId: undefined });
    expect(deleted.deleted).toBe(true);
    expect(await q("SELECT count(*)::int AS n FROM flow_edges e JOIN flows f ON f.id = e.flow_pk WHERE f.flow_id = 'derived'")).toEqual([{ n: 0 }]);
    expect(await schedules()).toEqual([]);
  });
});

describe("flow audit events (built by meshplane_flow_audit_state)", () => {
  it("keep their before/after: create, update, delete, revive", async () => {
    const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
    const src = (n: number) => `id: audited\nnamespace: ${NS}\ndescription: r${n}\n${TASKS}`;
    await putFlow("audited", `description: r1\n${TASKS}`);
    await putFlow("audited", `description: r2\n${TASKS}`);
    await flows.softDelete({ namespace: NS, flowId: "audited", force: false, expected: undefined, subject: "test", subjectKind: "service-account", requestId: undefined });
    await putFlow("audited", `description: r4\n${TASKS}`);
    const events = await q("SELECT action, before, after FROM audit_events WHERE resource_id = $1 ORDER BY id", [`${NS}/audited`]);
    const state = (revision: number, n: number) => ({ revision, labels: {}, description: "", disabled: false, sourceSha256: sha(src(n)) });
    expect(events).toEqual([
      { action: "flow.create", before: null, after: state(1, 1) },
      { action: "flow.update", before: { ...state(1, 1), deleted: false }, after: state(2, 2) },
      { action: "flow.delete", before: state(2, 2), after: { revision: 3, deleted: true, forced: false, dependents: [] } },
      { action: "flow.create", before: { ...state(3, 2), deleted: true }, after: state(4, 4) },
    ]);
  });
});

describe("flows derived by older code", () => {
  it("are re-derived at start-up: their schedules and trigger states come back", async () => {
    await putFlow("old", TASKS + "triggers:\n" + schedule("h", "0 * * * *") + "  - { id: f, type: flow, upstream: [{ namespace: retail.sched, flowId: up }], states: [WARNING] }\n");
    // As the migration leaves a flow written before it: no schedule row, states unknown.
    await q("DELETE FROM flow_schedules WHERE flow_pk = (SELECT id FROM flows WHERE flow_id = 'old')");
    await q("UPDATE flow_edges SET states = NULL WHERE flow_pk = (SELECT id FROM flows WHERE flow_id = 'old')");
    await q("UPDATE flows SET derived_version = 0 WHERE flow_id = 'old'");
    expect(await resyncOutdatedDerived(flows, createLogger("silent"))).toBe(1);
    expect(await q("SELECT s.trigger_id, s.cron FROM flow_schedules s JOIN flows f ON f.id = s.flow_pk WHERE f.flow_id = 'old'")).toEqual([{ trigger_id: "h", cron: "0 * * * *" }]);
    expect(await q("SELECT states FROM flow_edges e JOIN flows f ON f.id = e.flow_pk WHERE f.flow_id = 'old'")).toEqual([{ states: ["WARNING"] }]);
    expect(await resyncOutdatedDerived(flows, createLogger("silent"))).toBe(0);
  });
});

describe("schedules across daylight-saving changes in Europe/Paris", () => {
  const TRIGGERS = "triggers:\n" + schedule("daily", "30 2 * * *", ", timezone: Europe/Paris") + schedule("hourly", "0 * * * *", ", timezone: Europe/Paris");

  it("spring forward (2026-03-29): 02:30 runs at 03:00 CEST that day; the hourly one runs 23 times in the local day", async () => {
    await putFlow("spring", TASKS + TRIGGERS);
    await run(scheduler({ missedAfterMs: 600_000 }), "2026-03-27T22:00:00Z", "2026-03-30T03:00:00Z", 5 * 60_000);
    expect(await slots("spring", "daily")).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:00:00.000Z", "2026-03-30T00:30:00.000Z"]);
    const day = (await slots("spring", "hourly")).filter((s) => s >= "2026-03-28T23:00:00.000Z" && s < "2026-03-29T22:00:00.000Z");
    // Local midnight (23:00 UTC) to the next local midnight (22:00 UTC): 02:00 local does not exist.
    expect(day).toEqual(hourly("2026-03-28T23:00:00.000Z", 23));
  });

  it("fall back (2026-10-25): 02:30 runs once (02:30 CEST); the hourly one runs 25 times, 02:00 twice", async () => {
    await putFlow("autumn", TASKS + TRIGGERS);
    await run(scheduler({ missedAfterMs: 600_000 }), "2026-10-23T22:00:00Z", "2026-10-26T03:00:00Z", 5 * 60_000);
    expect(await slots("autumn", "daily")).toEqual(["2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
    const day = (await slots("autumn", "hourly")).filter((s) => s >= "2026-10-24T22:00:00.000Z" && s < "2026-10-25T23:00:00.000Z");
    expect(day).toEqual(hourly("2026-10-24T22:00:00.000Z", 25));
  });
});

describe("a slot", () => {
  it("of a 6-field cron fires on its second, once, recorded as the scheduler's with its trigger", async () => {
    await putFlow("seconds", TASKS + "triggers:\n" + schedule("tenth", "*/10 * * * * *"));
    advanced.length = 0;
    await run(scheduler(), "2026-05-01T00:00:00.500Z", "2026-05-01T00:00:35.500Z", 500);
    expect(await slots("seconds")).toEqual(["2026-05-01T00:00:10.000Z", "2026-05-01T00:00:20.000Z", "2026-05-01T00:00:30.000Z"]);
    const rows = await q("SELECT e.id, e.state, e.trigger, e.flow_revision, a.subject, a.subject_kind FROM executions e JOIN audit_events a ON a.resource_id = e.id::text AND a.action = 'execution.create' WHERE e.flow_id = 'seconds' ORDER BY e.scheduled_for",
    );
    expect(rows[0]).toMatchObject({ state: "CREATED", flow_revision: 1, trigger: { type: "schedule", triggerId: "tenth", scheduledFor: "2026-05-01T00:00:10.000Z" }, subject: "system:scheduler", subject_kind: "system" });
    expect(advanced).toEqual(rows.map((r) => r.id));
  });

  it("gets one execution with two scheduler replicas on one database ticking the same slots together", async () => {
    for (let i = 0; i < 10; i++) await putFlow(`busy${i}`, TASKS + "triggers:\n" + schedule("every", "* * * * * *"));
    const a = scheduler({}, db.flowPool);
    const b = scheduler({}, replicaPool);
    await run([a, b], "2026-06-01T00:00:00.200Z", "2026-06-01T00:00:08.200Z", 250);
    for (let i = 0; i < 10; i++) {
      expect(await slots(`busy${i}`), `busy${i}`).toEqual(Array.from({ length: 8 }, (_, s) => `2026-06-01T00:00:0${s + 1}.000Z`));
    }
  });

  it("is unique on (flow, trigger, slot): creating it again with another id inserts nothing", async () => {
    await putFlow("unique", TASKS + "triggers:\n" + schedule("h", "0 * * * *"));
    const pk = (await q("SELECT id FROM flows WHERE flow_id = 'unique'"))[0].id as string;
    const repo = new ScheduleRepository(replicaPool);
    const slot = (id: string) => ({ id, scheduledFor: "2026-07-01T00:00:00.000Z", trigger: { type: "schedule" as const, triggerId: "h", scheduledFor: "2026-07-01T00:00:00.000Z" } });
    const cmd = { flowPk: pk, triggerId: "h", revision: 1, inputs: {}, error: null, subject: "system:scheduler", subjectKind: "system" };
    const first = randomUUID();
    expect(await repo.createExecutions({ ...cmd, slots: [slot(first)] })).toEqual({ matched: true, created: [first] });
    expect(await repo.createExecutions({ ...cmd, slots: [slot(randomUUID())] })).toEqual({ matched: true, created: [] });
    // A trigger the flow no longer has matches nothing.
    expect(await repo.createExecutions({ ...cmd, triggerId: "gone", slots: [slot(randomUUID())] })).toEqual({ matched: false, created: [] });
  });
});

describe("missed slots after downtime (recoverMissedSchedules)", () => {
  it("LAST runs the latest missed slot, ALL each, NONE none; on-time slots run in every mode", async () => {
    await putFlow(
      "recover",
      TASKS + "triggers:\n" + schedule("last", "0 * * * *") + schedule("all", "0 * * * *", ", recoverMissedSchedules: ALL") + schedule("none", "0 * * * *", ", recoverMissedSchedules: NONE"),
    );
    const s = scheduler();
    await run(s, "2026-08-01T00:30:00Z", "2026-08-01T00:30:00Z", 1);
    // Down from 00:30 to 05:30: 01:00 … 05:00 were missed.
    await run(s, "2026-08-01T05:30:00Z", "2026-08-01T05:30:00Z", 1);
    expect(await slots("recover", "last")).toEqual(["2026-08-01T05:00:00.000Z"]);
    expect(await slots("recover", "all")).toEqual(hourly("2026-08-01T01:00:00.000Z", 5));
    expect(await slots("recover", "none")).toEqual([]);
    await run(s, "2026-08-01T06:00:01Z", "2026-08-01T06:00:01Z", 1);
    expect(await slots("recover", "last")).toEqual(["2026-08-01T05:00:00.000Z", "2026-08-01T06:00:00.000Z"]);
    expect(await slots("recover", "all")).toEqual(hourly("2026-08-01T01:00:00.000Z", 6));
    expect(await slots("recover", "none")).toEqual(["2026-08-01T06:00:00.000Z"]);
  });

  it("ALL is bounded: after two hours of a per-second schedule, the latest 1,000 slots run", async () => {
    await putFlow("flood", TASKS + "triggers:\n" + schedule("s", "* * * * * *", ", recoverMissedSchedules: ALL"));
    const s = scheduler();
    await run(s, "2026-08-02T00:00:00.500Z", "2026-08-02T00:00:00.500Z", 1);
    await run(s, "2026-08-02T02:00:00.500Z", "2026-08-02T02:00:00.500Z", 1);
    const fired = await slots("flood");
    expect(fired).toHaveLength(1_000);
    expect(fired[fired.length - 1]).toBe("2026-08-02T02:00:00.000Z");
    expect(fired[0]).toBe("2026-08-02T01:43:21.000Z");
  });
});

describe("changes to the flow", () => {
  it("a new cron applies from the next slot; a revision with the same cron keeps the schedule's state and runs its revision", async () => {
    await putFlow("revised", TASKS + "triggers:\n" + schedule("t", "0 * * * *"));
    const s = scheduler();
    await run(s, "2026-09-01T00:30:00Z", "2026-09-01T01:00:05Z", 30 * 60_000 + 5_000);
    expect(await slots("revised")).toEqual(["2026-09-01T01:00:00.000Z"]);
    expect(await putFlow("revised", TASKS + "triggers:\n" + schedule("t", "30 * * * *"))).toBe(2);
    await run(s, "2026-09-01T01:10:00Z", "2026-09-01T02:05:00Z", 60_000);
    expect(await slots("revised")).toEqual(["2026-09-01T01:00:00.000Z", "2026-09-01T01:30:00.000Z"]);
    expect(await putFlow("revised", "description: same cron\n" + TASKS + "triggers:\n" + schedule("t", "30 * * * *"))).toBe(3);
    await run(s, "2026-09-01T02:06:00Z", "2026-09-01T02:31:00Z", 60_000);
    const revisions = await q("SELECT scheduled_for, flow_revision FROM executions WHERE flow_id = 'revised' ORDER BY scheduled_for");
    expect(revisions.map((r) => [r.scheduled_for.toISOString(), r.flow_revision])).toEqual([
      ["2026-09-01T01:00:00.000Z", 1], ["2026-09-01T01:30:00.000Z", 2], ["2026-09-01T02:30:00.000Z", 3],
    ]);
  });

  it("a disabled flow, a deleted flow, a disabled or removed trigger never fire; re-enabled, it runs from the next slot", async () => {
    const every = "triggers:\n" + schedule("m", "* * * * *");
    for (const id of ["quiet-flow", "quiet-deleted", "quiet-trigger", "quiet-removed"]) await putFlow(id, TASKS + every);
    await putFlow("quiet-flow", "disabled: true\n" + TASKS + every);
    await flows.softDelete({ namespace: NS, flowId: "quiet-deleted", force: false, expected: undefined, subject: "test", subjectKind: "service-account", requestId: undefined });
    await putFlow("quiet-trigger", TASKS + "triggers:\n" + schedule("m", "* * * * *", ", disabled: true"));
    await putFlow("quiet-removed", TASKS);
    const s = scheduler();
    await run(s, "2026-10-01T00:00:30Z", "2026-10-01T00:05:30Z", 60_000);
    for (const id of ["quiet-flow", "quiet-deleted", "quiet-trigger", "quiet-removed"]) expect(await slots(id), id).toEqual([]);
    await putFlow("quiet-flow", TASKS + every);
    await run(s, "2026-10-01T00:10:30Z", "2026-10-01T00:12:30Z", 60_000);
    expect(await slots("quiet-flow")).toEqual(["2026-10-01T00:11:00.000Z", "2026-10-01T00:12:00.000Z"]);
  });

  it("a flow with a required input and no default gets each slot's execution FAILED, naming the input", async () => {
    await putFlow("needs-input", "inputs:\n  - { id: day, type: DATE }\n  - { id: region, type: STRING, defaults: north }\n" + TASKS + "triggers:\n" + schedule("h", "0 * * * *"));
    advanced.length = 0;
    await run(scheduler(), "2026-11-01T00:30:00Z", "2026-11-01T01:00:10Z", 30 * 60_000 + 10_000);
    const rows = await q("SELECT state, error, ended_at FROM executions WHERE flow_id = 'needs-input'");
    expect(rows).toHaveLength(1);
    expect(rows[0].state).toBe("FAILED");
    expect(rows[0].error).toMatch(/input day \(DATE\) is required.*defaults/);
    expect(rows[0].ended_at).not.toBeNull();
    expect(advanced).toEqual([]);
  });
});
