/** The mesh run (mesh.ts) as the quickstart prints it: pure functions from data to lines. */
import { crossTeamLatencyMs, rows, type DayRun, type Execution, type MeshRun } from "./mesh.ts";

export function meshLines(mesh: MeshRun): string[] {
  const out: string[] = [];
  for (const day of mesh.days) out.push("", ...dayLines(day));
  return out;
}

function dayLines(day: DayRun): string[] {
  const orders = day.data.transactions.length;
  const refunds = day.data.transactions.filter((t) => t.status === "REFUNDED").length;
  const out = [
    `${day.label}: landed ${orders} point-of-sale transactions${refunds ? ` (${refunds} of them late refunds of day-1 orders)` : ""} and ${day.data.snapshots.length} stock snapshots (${LANDED} ${day.landing.state}); executions (GET /api/v1/executions?namespace=retail):`,
  ];
  if (day.landing.state !== "SUCCESS") return [...out, ...failureLines(day.landing)];
  const table = day.executions.map((e) => {
    const r = rows(e);
    return [`${e.namespace}/${e.flowId}`, triggerText(e, day.executions), e.state, duration(e), `${r.inserted} inserted, ${r.updated} updated`];
  });
  out.push(...columns([["flow", "trigger", "state", "duration", "rows"], ...table]).map((l) => `  ${l}`));
  for (const e of day.executions.filter((e) => e.state !== "SUCCESS")) out.push(...failureLines(e));
  if (day.incomplete) out.push(`  INCOMPLETE: ${day.incomplete}`);
  const cross = crossTeamLatencyMs(day);
  if (cross) {
    out.push(`  cross-team trigger retail.sales → retail.supply: ${cross.upstream.flowId} ended, ${cross.downstream.flowId} started ${(cross.ms / 1000).toFixed(1)} s later (it also waited for supply_ods.stock_levels)`);
  }
  return out;
}

const LANDED = "retail.landing/landing.load";

function triggerText(e: Execution, all: readonly Execution[]): string {
  if (e.trigger.type === "flow" && e.trigger.upstream?.length) {
    return e.trigger.upstream.map((u) => `after ${u.flowId} (${team(u.namespace)})`).join(" + ");
  }
  // Started by the quickstart in place of the 03:00 schedule.
  void all;
  return `schedule (API, label run: ${e.labels["run"] ?? "-"})`;
}

const team = (namespace: string) => namespace.replace(/^retail\./, "");

function duration(e: Execution): string {
  if (!e.startedAt || !e.endedAt) return "-";
  return `${((Date.parse(e.endedAt) - Date.parse(e.startedAt)) / 1000).toFixed(1)} s`;
}

function failureLines(e: Execution): string[] {
  const out = [`  ${e.namespace}/${e.flowId} ended ${e.state}${e.error ? `: ${e.error}` : ""}`];
  for (const t of e.taskRuns.filter((t) => t.error)) out.push(`    task ${t.taskId}: ${t.error}`);
  return out;
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}
