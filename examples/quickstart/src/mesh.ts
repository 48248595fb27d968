/**
 * The mesh running, after the applies: the quickstart (platform-admin key) loads a day of
 * landing data through a flow of its own (retail.landing/landing.load, see landing.ts), then
 * fires the two flows the 03:00 schedules would start — sales_raw.orders_raw and
 * supply_ods.stock_levels — as POST /executions with a label `run: day-N`. Every other
 * execution is started by the control plane's flow triggers (cross-team ones included);
 * the quickstart only watches, over the API, until the chain has ended.
 */
import { dayOne, dayTwo, LANDING_FLOW, LANDING_NAMESPACE, landingFlowYaml, type LandingDay } from "./landing.ts";

/** The flows the schedules start; the triggers start the rest. */
export const SCHEDULED: readonly { namespace: string; flowId: string }[] = [
  { namespace: "retail.sales", flowId: "sales_raw.orders_raw" },
  { namespace: "retail.supply", flowId: "supply_ods.stock_levels" },
];
/** Every execution a day produces (finance's plan is refused: it has none). */
export const CHAIN: readonly string[] = [
  "retail.sales/sales_raw.orders_raw",
  "retail.sales/sales_ods.orders",
  "retail.sales/sales_mart.daily_store_revenue",
  "retail.supply/supply_ods.stock_levels",
  "retail.supply/supply_mart.store_replenishment",
];
const CHAIN_TIMEOUT_MS = 180_000;

export interface TaskRun {
  readonly taskId: string;
  readonly state: string;
  readonly outputs: Record<string, unknown>;
  readonly error?: string;
}
export interface Execution {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly state: string;
  readonly labels: Record<string, string>;
  readonly trigger: { type: string; subject?: string; upstream?: { executionId: string; namespace: string; flowId: string; state: string }[] };
  readonly error?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly taskRuns: TaskRun[];
}
export interface DayRun {
  readonly label: string;
  readonly landing: Execution;
  readonly data: LandingDay;
  /** In CHAIN order; a flow that never ran within the timeout is missing. */
  readonly executions: Execution[];
  /** Set when the chain had not ended within the timeout. */
  readonly incomplete?: string;
}
export interface MeshRun {
  readonly days: DayRun[];
}

type Call = (method: string, path: string, body?: unknown, contentType?: string) => Promise<{ status: number; body: any }>;

export function apiCaller(api: string, key: string): Call {
  return async (method, path, body, contentType = "application/json") => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": contentType } : {}) },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };
}

const ok = (r: { status: number; body: any }, what: string) => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${typeof r.body === "string" ? r.body : (r.body?.detail ?? JSON.stringify(r.body))}`);
  return r.body;
};

export async function runMesh(api: string, adminKey: string, say: (line: string) => void = () => undefined, now = new Date()): Promise<MeshRun> {
  const call = apiCaller(api, adminKey);
  // The landing namespace: created by the quickstart, not the platform repository (the
  // landing project belongs to no domain). 409 on a second run: it is already there.
  const created = await call("POST", "/namespaces", { name: LANDING_NAMESPACE, ownerTeam: "platform", description: "Quickstart landing data (no domain)" });
  if (created.status !== 201 && created.status !== 409) ok(created, `creating namespace ${LANDING_NAMESPACE}`);
  const day1 = dayOne(now);
  const days: DayRun[] = [];
  for (const [label, data] of [["day-1", day1], ["day-2", dayTwo(day1)]] as const) {
    say(`  ${label}: loading landing data…`);
    days.push(await runDay(call, label, data));
  }
  return { days };
}

async function runDay(call: Call, label: string, data: LandingDay): Promise<DayRun> {
  ok(await call("PUT", `/flows/${LANDING_NAMESPACE}/${LANDING_FLOW}`, landingFlowYaml(data, label), "application/x-yaml"), `registering ${LANDING_NAMESPACE}/${LANDING_FLOW}`);
  const landing = await detail(call, ok(await call("POST", `/executions/${LANDING_NAMESPACE}/${LANDING_FLOW}?wait=true`, { labels: { run: label } }), "loading the landing data").id);
  if (landing.state !== "SUCCESS") return { label, landing, data, executions: [], incomplete: `the landing load ended ${landing.state}` };
  // The list is filtered by creation time; our own clock may differ a little from the server's.
  const since = new Date(Date.parse(landing.endedAt ?? landing.createdAt) - 1).toISOString();
  for (const f of SCHEDULED) ok(await call("POST", `/executions/${f.namespace}/${f.flowId}`, { labels: { run: label } }), `starting ${f.namespace}/${f.flowId}`);
  const deadline = Date.now() + CHAIN_TIMEOUT_MS;
  for (;;) {
    const page = ok(await call("GET", `/executions?namespace=retail&since=${encodeURIComponent(since)}&limit=100`), "listing executions");
    const latest = new Map<string, { id: string; state: string }>();
    // Newest first: keep the first seen of each flow.
    for (const e of page.items as { id: string; namespace: string; flowId: string; state: string }[]) {
      const key = `${e.namespace}/${e.flowId}`;
      if (CHAIN.includes(key) && !latest.has(key)) latest.set(key, e);
    }
    const ended = [...latest.values()].filter((e) => TERMINAL.has(e.state));
    // Done when every flow has ended, or when something failed and nothing is still running (its downstreams never start).
    const running = [...latest.values()].some((e) => !TERMINAL.has(e.state));
    const failed = ended.some((e) => e.state !== "SUCCESS");
    const timedOut = Date.now() > deadline;
    if ((ended.length === CHAIN.length) || (failed && !running) || timedOut) {
      const executions: Execution[] = [];
      for (const key of CHAIN) if (latest.has(key)) executions.push(await detail(call, latest.get(key)!.id));
      const missing = CHAIN.filter((k) => !latest.has(k));
      const incomplete = timedOut && (running || missing.length) ? `not ended within ${CHAIN_TIMEOUT_MS / 1000} s: ${[...missing, ...executions.filter((e) => !TERMINAL.has(e.state)).map((e) => `${e.namespace}/${e.flowId}`)].join(", ")}` : missing.length ? `never started: ${missing.join(", ")}` : undefined;
      return { label, landing, data, executions, ...(incomplete ? { incomplete } : {}) };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const TERMINAL = new Set(["SUCCESS", "FAILED", "KILLED", "WARNING", "CANCELLED"]);

async function detail(call: Call, id: string): Promise<Execution> {
  return ok(await call("GET", `/executions/${id}`), `reading execution ${id}`) as Execution;
}

/** rowsInserted/rowsUpdated summed over an execution's task runs. */
export function rows(e: Execution): { inserted: number; updated: number } {
  let inserted = 0;
  let updated = 0;
  for (const t of e.taskRuns) {
    inserted += Number(t.outputs["rowsInserted"] ?? 0);
    updated += Number(t.outputs["rowsUpdated"] ?? 0);
  }
  return { inserted, updated };
}

/** Upstream end → downstream start, for the cross-team trigger retail.sales → retail.supply. */
export function crossTeamLatencyMs(day: DayRun): { upstream: Execution; downstream: Execution; ms: number } | undefined {
  const downstream = day.executions.find((e) => e.namespace === "retail.supply" && e.trigger.upstream?.some((u) => u.namespace === "retail.sales"));
  const ref = downstream?.trigger.upstream?.find((u) => u.namespace === "retail.sales");
  const upstream = ref && day.executions.find((e) => e.id === ref.executionId);
  if (!downstream || !upstream?.endedAt) return undefined;
  const start = downstream.startedAt ?? downstream.createdAt;
  return { upstream, downstream, ms: Date.parse(start) - Date.parse(upstream.endedAt) };
}
