import type { Path } from "./flow-parser.ts";
import type { FlowDocument, Task } from "./flow-schema.ts";
import { findTableReferences } from "@meshplane/rules";

/**
 * What a flow document points at, derived once per write and stored as rows
 * (flow_edges, flow_table_refs) so the graph can be walked in SQL.
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

interface TableName {
  readonly dataset: string;
  readonly table: string;
}

/**
 * The tables a task's SQL reads and writes: the one reader of @meshplane/rules (the
 * modules' lineage uses it too). Lenient: an unterminated literal ends where BigQuery would
 * refuse the whole script, so a stored flow never fails to derive and nothing before it is lost.
 */
function sqlReferences(sql: string): { reads: TableName[]; writes: TableName[] } {
  const { tables } = findTableReferences(sql, { lenient: true });
  return { reads: tables.filter((t) => t.role === "read"), writes: tables.filter((t) => t.role === "write") };
}

export function flowReferences(doc: FlowDocument): FlowReferences {
  const edges: FlowEdgeRef[] = [];
  (doc.triggers ?? []).forEach((trigger, i) => {
    if (trigger.type !== "flow") return;
    trigger.upstream.forEach((u, j) => edges.push({ namespace: u.namespace, flowId: u.flowId, kind: "trigger", path: ["triggers", i, "upstream", j] }));
  });
  const tables = new Map<string, TableRef>();
  const addTable = (t: TableName, kind: TableRef["kind"]) => tables.set(`${kind}:${t.dataset}.${t.table}`, { dataset: t.dataset, table: t.table, kind });
  walkTasks(doc.tasks, ["tasks"], (task, path) => {
    if (task.type === "core.subflow") edges.push({ namespace: task.namespace, flowId: task.flowId, kind: "subflow", path });
    if (task.type === "sql.query") {
      const refs = sqlReferences(task.sql);
      for (const t of refs.reads) addTable(t, "reads");
      for (const t of refs.writes) addTable(t, "writes");
      if (task.destinationTable) {
        const parts = task.destinationTable.split(".");
        addTable({ dataset: parts[parts.length - 2]!, table: parts[parts.length - 1]! }, "writes");
      }
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
  walkTasks(doc.tasks, ["tasks"], (task, path) => {
    if (task.type !== "sql.query") return;
    if (task.destinationTable) {
      const parts = task.destinationTable.split(".");
      writes.push({ dataset: parts[parts.length - 2]!, table: parts[parts.length - 1]!, path: [...path, "destinationTable"] });
    }
    for (const t of sqlReferences(task.sql).writes) writes.push({ dataset: t.dataset, table: t.table, path: [...path, "sql"] });
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
  walkTasks(tasks, [], () => count++);
  return count;
}

function walkTasks(tasks: readonly Task[], at: Path, visit: (task: Task, path: Path) => void): void {
  tasks.forEach((task, i) => {
    const path = [...at, i];
    visit(task, path);
    if (task.type === "core.parallel" || task.type === "core.foreach") walkTasks(task.tasks, [...path, "tasks"], visit);
  });
}
