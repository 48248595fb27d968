import type { Path } from "./flow-parser.ts";
import type { FlowDocument } from "./flow-schema.ts";
import { definitionOf, walkTasks, type Task } from "../tasks/registry.ts";

/**
 * What a flow document points at, derived once per write and stored as rows
 * (flow_edges, flow_table_refs) so the graph can be walked in SQL: its flow triggers'
 * upstreams, and what each task says it names (its definition's `references`, tasks/*.ts).
 */
export type EdgeKind = "trigger" | "subflow";

export interface FlowEdgeRef {
  readonly namespace: string;
  readonly flowId: string;
  readonly kind: EdgeKind;
  /** Where in the document, for problems that point at it. */
  readonly path: Path;
}

export interface TableRef {
  readonly dataset: string;
  readonly table: string;
  readonly kind: "reads" | "writes";
}

export interface FlowReferences {
  /** Every reference, in document order (duplicates kept: each has its own path). */
  readonly edges: FlowEdgeRef[];
  readonly tables: TableRef[];
}

export function flowReferences(doc: FlowDocument): FlowReferences {
  const edges: FlowEdgeRef[] = [];
  (doc.triggers ?? []).forEach((trigger, i) => {
    if (trigger.type !== "flow") return;
    trigger.upstream.forEach((u, j) => edges.push({ namespace: u.namespace, flowId: u.flowId, kind: "trigger", path: ["triggers", i, "upstream", j] }));
  });
  const tables = new Map<string, TableRef>();
  walkTasks(doc.tasks, (task, path) => {
    const refs = definitionOf(task).references?.(task);
    for (const f of refs?.flows ?? []) edges.push({ namespace: f.namespace, flowId: f.flowId, kind: "subflow", path: [...path, ...f.at] });
    for (const t of refs?.tables ?? []) {
      const key = `${t.kind}:${t.dataset}.${t.table}`;
      if (!tables.has(key)) tables.set(key, { dataset: t.dataset, table: t.table, kind: t.kind });
    }
  });
  return { edges, tables: [...tables.values()] };
}

/** A table a flow writes, and where: a `sql.query` task's destinationTable, or DML in its sql. */
export interface TableWrite {
  readonly dataset: string;
  readonly table: string;
  readonly path: Path;
}

/** Every table write with its place in the document, for problems that point at it (the write-ownership rule). */
export function tableWrites(doc: FlowDocument): TableWrite[] {
  const writes: TableWrite[] = [];
  walkTasks(doc.tasks, (task, path) => {
    for (const t of definitionOf(task).references?.(task).tables ?? []) {
      if (t.kind === "writes") writes.push({ dataset: t.dataset, table: t.table, path: [...path, ...t.at] });
    }
  });
  return writes;
}

/** The distinct (namespace, flowId, kind) triples: what flow_edges stores. */
export function distinctEdges(edges: readonly FlowEdgeRef[]): { namespace: string; flowId: string; kind: EdgeKind }[] {
  const seen = new Map<string, { namespace: string; flowId: string; kind: EdgeKind }>();
  for (const e of edges) seen.set(`${e.kind}\u0000${e.namespace}\u0000${e.flowId}`, { namespace: e.namespace, flowId: e.flowId, kind: e.kind });
  return [...seen.values()];
}

/** Every task, those inside core.parallel and core.foreach included (see flow-limits.ts). */
export function countTasks(tasks: readonly Task[]): number {
  let count = 0;
  walkTasks(tasks, () => count++);
  return count;
}
