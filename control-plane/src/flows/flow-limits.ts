import { PayloadTooLargeError } from "../errors.ts";
import type { FlowProblem } from "./flow-parser.ts";
import { countTasks, type FlowReferences } from "./flow-references.ts";
import type { FlowDocument } from "./flow-schema.ts";

/**
 * What one flow may hold: every request's work (parsing, the reference checks, the rows
 * derived in put-flow.sql) grows with these, so they are checked before any database
 * work, by PUT (413 / 422) and by validate (the same words, as problems). A real domain
 * flow has a few tasks and tens of references; the limits are generous multiples of that.
 * The README lists them (section "Limits").
 */
export const FLOW_LIMITS = {
  /** The YAML source, in UTF-8 bytes (below the default request body limit of 1 MiB). */
  sourceBytes: 512 * 1024,
  /** Distinct tables read or written (a table both read and written counts twice: two rows in flow_table_refs). */
  tableReferences: 1_000,
  /** Trigger upstreams and subflow calls, each occurrence. */
  flowReferences: 200,
  /** Tasks, counting those nested in core.parallel and core.foreach. */
  tasks: 1_000,
} as const;

const n = (x: number) => x.toLocaleString("en-US");

/** The source size, before parsing: PUT answers 413, validate reports it. */
export function sourceSizeProblem(source: string): FlowProblem | undefined {
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes <= FLOW_LIMITS.sourceBytes) return undefined;
  return {
    kind: "schema",
    severity: "error",
    message:
      `the flow source is ${n(bytes)} bytes; a flow's source may have at most ${n(FLOW_LIMITS.sourceBytes)} bytes (512 KiB, the flow source size limit): ` +
      `split the flow (core.subflow) or shorten its SQL`,
    pointer: "",
  };
}

export function requireSourceWithinLimit(source: string): void {
  const problem = sourceSizeProblem(source);
  if (problem) throw new PayloadTooLargeError(problem.message, { errors: [{ pointer: "", message: problem.message }] });
}

/** The counts of a parsed flow against the limits: one problem per limit exceeded. */
export function flowLimitProblems(doc: FlowDocument, refs: FlowReferences): FlowProblem[] {
  const counted: [number, number, string, string, string][] = [
    [countTasks(doc.tasks), FLOW_LIMITS.tasks, "/tasks", "tasks (counting those inside core.parallel and core.foreach)", "the task limit"],
    [refs.tables.length, FLOW_LIMITS.tableReferences, "/tasks", "table references (distinct tables read, and written, by its sql.query tasks)", "the table reference limit"],
    [refs.edges.length, FLOW_LIMITS.flowReferences, refs.edges.some((e) => e.kind === "trigger") ? "/triggers" : "/tasks", "flow references (trigger upstreams and core.subflow calls)", "the flow reference limit"],
  ];
  return counted
    .filter(([count, allowed]) => count > allowed)
    .map(([count, allowed, pointer, what, limit]) => ({
      kind: "schema",
      severity: "error",
      message: `the flow has ${n(count)} ${what}; a flow may have at most ${n(allowed)} (${limit}): split it into several flows`,
      pointer,
    }));
}
