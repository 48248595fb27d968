import { durationMs } from "../tasks/task-definition.ts";
import type { EdgeKind, FlowReferences, TableRef } from "./flow-references.ts";
import type { FlowDocument } from "./flow-schema.ts";

/**
 * Everything stored beside a flow's source and derived from it, as ONE value: what
 * src/sql/flows/derived-sync.sql writes into flow_edges, flow_table_refs and
 * flow_schedules for put, resync and delete alike. Defaults are resolved here, so
 * readers of the rows (the scheduler, flow triggers) never re-read the YAML.
 */
export interface DerivedEdge {
  readonly namespace: string;
  readonly flowId: string;
  readonly kind: EdgeKind;
  /** The flow trigger this upstream belongs to; absent for subflow calls. */
  readonly triggerId?: string;
  /** Upstream end states that fire the trigger (trigger edges only; default [SUCCESS]). */
  readonly states?: readonly string[];
  /** The trigger's window in ms (trigger edges only; default P1D). */
  readonly windowMs?: number;
  /** A trigger marked `disabled: true`: its edges stay (graph, cycle check) but it never fires. */
  readonly disabled?: boolean;
}

export interface DerivedSchedule {
  readonly triggerId: string;
  readonly cron: string;
  /** IANA zone (UTC when the trigger names none). */
  readonly timezone: string;
  readonly recover: "LAST" | "ALL" | "NONE";
}

export interface FlowDerived {
  readonly edges: readonly DerivedEdge[];
  readonly tables: readonly TableRef[];
  readonly schedules: readonly DerivedSchedule[];
}

/**
 * Bumped whenever what is derived changes (new columns, new defaults): the server
 * re-derives, at start-up, every live flow whose `derived_version` is older.
 * 2: table refs read by the SQL reader of @meshplane/rules (the modules' one), so the
 * tables' delete guard and write ownership see what the old reader missed or invented.
 */
export const DERIVED_VERSION = 2;

export const DEFAULT_TRIGGER_STATES = ["SUCCESS"] as const;
export const DEFAULT_TRIGGER_WINDOW = "P1D";
export const DEFAULT_TIMEZONE = "UTC";

export const NOTHING_DERIVED: FlowDerived = { edges: [], tables: [], schedules: [] };

/**
 * The derived rows of a flow document. Schedules only for an enabled flow and for
 * schedule triggers that are not disabled: a row in flow_schedules is what fires.
 * Edges stay for a disabled flow (the dependency graph shows them; a disabled
 * downstream simply does not start).
 */
export function deriveFlowData(doc: FlowDocument, refs: FlowReferences): FlowDerived {
  const edges = new Map<string, DerivedEdge>();
  const add = (e: DerivedEdge) => edges.set([e.kind, e.triggerId ?? "", e.namespace, e.flowId].join("\u0000"), e);
  const schedules: DerivedSchedule[] = [];
  for (const trigger of doc.triggers ?? []) {
    if (trigger.type === "flow") {
      const states = [...new Set(trigger.states ?? DEFAULT_TRIGGER_STATES)].sort();
      const windowMs = durationMs(trigger.window ?? DEFAULT_TRIGGER_WINDOW);
      for (const u of trigger.upstream) add({ namespace: u.namespace, flowId: u.flowId, kind: "trigger", triggerId: trigger.id, states, windowMs, disabled: trigger.disabled === true });
    } else if (!trigger.disabled && !doc.disabled) {
      schedules.push({ triggerId: trigger.id, cron: trigger.cron.trim(), timezone: trigger.timezone ?? DEFAULT_TIMEZONE, recover: trigger.recoverMissedSchedules ?? "LAST" });
    }
  }
  for (const e of refs.edges) if (e.kind === "subflow") add({ namespace: e.namespace, flowId: e.flowId, kind: "subflow" });
  return { edges: [...edges.values()], tables: refs.tables, schedules };
}
