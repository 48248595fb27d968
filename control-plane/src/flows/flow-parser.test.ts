import { describe, expect, it } from "vitest";
import { findCycle } from "./flow-cycles.ts";
import { parseFlowSource } from "./flow-parser.ts";
import { flowReferences } from "./flow-references.ts";
import { cronProblem } from "./flow-schema.ts";

const base = "id: f\nnamespace: retail.sales\n";

describe("parseFlowSource", () => {
  it("accepts the SPEC §3 example", () => {
    const parsed = parseFlowSource(`id: daily_orders
namespace: retail.sales
description: Orders of the day, merged into the ODS
labels: { owner: sales }
inputs:
  - { id: day, type: DATE, required: false }
tasks:
  - id: load
    type: sql.query
    sql: SELECT * FROM \`retail_sales.orders_raw\`
    destinationTable: retail_sales.orders
    writeDisposition: MODE_DELTA
    keys: [order_id]
triggers:
  - { id: nightly, type: schedule, cron: "0 3 * * *", timezone: Europe/Paris }
  - id: after_stock
    type: flow
    upstream:
      - { namespace: retail.supply, flowId: stock_levels }
    states: [SUCCESS]
`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const refs = flowReferences(parsed.document);
    expect(refs.edges).toEqual([{ namespace: "retail.supply", flowId: "stock_levels", kind: "trigger", path: ["triggers", 1, "upstream", 0] }]);
    expect(refs.tables).toEqual([
      { dataset: "retail_sales", table: "orders_raw", kind: "reads" },
      { dataset: "retail_sales", table: "orders", kind: "writes" },
    ]);
  });

  it("requires keys for MODE_DELTA and a destination for a write disposition", () => {
    const parsed = parseFlowSource(`${base}tasks:\n  - { id: a, type: sql.query, sql: SELECT 1, writeDisposition: MODE_DELTA }\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.pointer).sort()).toEqual(["/tasks/0/destinationTable", "/tasks/0/keys"]);
    expect(parsed.problems[0]).toMatchObject({ line: 4, column: 5 });
  });

  it("finds subflow calls nested in parallel and foreach, and refuses duplicate task ids", () => {
    const src = `${base}tasks:
  - id: p
    type: core.parallel
    concurrency: 2
    tasks:
      - id: e
        type: core.foreach
        values: [1, 2]
        tasks:
          - { id: s, type: core.subflow, namespace: retail.supply, flowId: x, wait: true, inputs: { a: 1 } }
`;
    const parsed = parseFlowSource(src);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(flowReferences(parsed.document).edges[0]).toMatchObject({ kind: "subflow", path: ["tasks", 0, "tasks", 0, "tasks", 0] });
    const dup = parseFlowSource(src.replace("id: s,", "id: p,"));
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.problems[0]).toMatchObject({ pointer: "/tasks/0/tasks/0/tasks/0/id", message: 'duplicate task id "p": ids must be unique in a flow' });
  });

  it("names the known task types for an unknown one and points at unknown fields' keys", () => {
    const parsed = parseFlowSource(`${base}tasks:\n  - id: a\n    type: core.sleep\n  - id: b\n    type: core.log\n    message: x\n    mesage: y\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      expect.objectContaining({ pointer: "/tasks/0/type", line: 5, column: 11, message: expect.stringContaining("unknown task type \"core.sleep\"; known types: sql.query, core.log") }),
      expect.objectContaining({ pointer: "/tasks/1/mesage", line: 9, column: 5, message: 'unknown field "mesage" in /tasks/1' }),
    ]);
  });

  it("refuses the run options a container cannot honour (timeout; retry on a subflow), saying where to set them instead; a parallel or foreach takes retry", () => {
    const parsed = parseFlowSource(`id: f
namespace: a
tasks:
  - id: par
    type: core.parallel
    timeout: PT1M
    tasks:
      - { id: inner, type: core.log, message: x, timeout: PT1M, retry: { type: constant, interval: PT1S, maxAttempts: 2 } }
  - { id: each, type: core.foreach, values: [1], retry: { type: constant, interval: PT1S, maxAttempts: 2 }, tasks: [{ id: item, type: core.log, message: y }] }
  - { id: child, type: core.subflow, namespace: b, flowId: g, timeout: PT5M, retry: { type: constant, interval: PT1S, maxAttempts: 2 } }
  - { id: par2, type: core.parallel, retry: { type: exponential, interval: PT1S, maxAttempts: 3 }, tasks: [{ id: leaf, type: core.log, message: z }] }
`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.pointer, p.message])).toEqual([
      ["/tasks/0/timeout", "core.parallel does not take `timeout`: set it on the tasks inside it (or the flow's `timeout`)"],
      ["/tasks/2/timeout", "core.subflow does not take `timeout`: set it on the child flow (its `timeout`, its tasks' `retry`)"],
      ["/tasks/2/retry", "core.subflow does not take `retry`: set it on the child flow (its `timeout`, its tasks' `retry`)"],
    ]);
  });

  it("refuses non-mapping documents, empty sources, multiple documents and alias bombs", () => {
    expect(parseFlowSource("")).toMatchObject({ ok: false, problems: [{ kind: "schema", message: "the flow source is empty" }] });
    expect(parseFlowSource("- a\n- b\n")).toMatchObject({ ok: false, problems: [{ kind: "schema" }] });
    expect(parseFlowSource("a: 1\n---\nb: 2\n")).toMatchObject({ ok: false, problems: [{ kind: "syntax" }] });
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [${"*a, ".repeat(9)}*a]\nc: &c [${"*b, ".repeat(9)}*b]\nd: [${"*c, ".repeat(9)}*c]\n`;
    expect(parseFlowSource(bomb)).toMatchObject({ ok: false, problems: [{ kind: "syntax", message: expect.stringContaining("aliases add more than 1000 values") }] });
  });

  it("reads aliases as copies, refuses self-referencing ones, and reports what only js-yaml refuses", () => {
    const shared = parseFlowSource(`${base}labels: &l { team: sales }\ntasks:\n  - { id: a, type: core.log, message: *l }\n`);
    expect(shared).toMatchObject({ ok: false, problems: [{ pointer: "/tasks/0/message", line: 5, column: 39 }] });
    const reused = parseFlowSource(`${base}tasks:\n  - { id: a, type: core.log, message: &m hello }\n  - { id: b, type: core.log, message: *m }\n`);
    expect(reused.ok && reused.document.tasks.map((t) => ("message" in t ? t.message : undefined))).toEqual(["hello", "hello"]);
    expect(parseFlowSource(`${base}tasks: &t [{ id: a, type: core.parallel, tasks: *t }]\n`)).toMatchObject({
      ok: false,
      problems: [{ kind: "syntax", message: expect.stringContaining("a cycle") }],
    });
    // `yaml` would only warn about an unknown tag; js-yaml, which decides the meaning, refuses it.
    expect(parseFlowSource(`${base}description: !secret x\n`)).toMatchObject({
      ok: false,
      problems: [{ kind: "syntax", message: "YAML syntax error: unknown tag !<!secret>", line: 3, column: 23 }],
    });
  });
});

describe("parseFlowSource on hostile input", () => {
  it("refuses deeply nested collections quickly, counting brackets outside quotes and comments only", () => {
    const start = performance.now();
    const deep = parseFlowSource(`${base}description: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    expect(performance.now() - start).toBeLessThan(200);
    expect(deep).toMatchObject({ ok: false, problems: [{ kind: "syntax", message: "collections are nested deeper than 64 levels", line: 3, column: 78 }] });
    const quoted = parseFlowSource(`${base}description: "${"[".repeat(100)}"\n# ${"{".repeat(100)}\ntasks: [{ id: a, type: core.log, message: '${"{".repeat(100)}' }]\n`);
    expect(quoted.ok).toBe(true);
  });

  it("refuses strings PostgreSQL cannot store (NUL, lone surrogates) with their pointer", () => {
    expect(parseFlowSource(`${base}description: "a\\0b"\ntasks: [{ id: a, type: core.log, message: x }]\n`)).toMatchObject({
      ok: false,
      problems: [{ kind: "schema", pointer: "/description", line: 3, column: 14 }],
    });
    expect(parseFlowSource(`${base}tasks: [{ id: a, type: core.log, message: "\\ud800" }]\n`)).toMatchObject({ ok: false, problems: [{ pointer: "/tasks/0/message" }] });
    expect(parseFlowSource(`${base}description: a\u0000\n`)).toMatchObject({ ok: false, problems: [{ kind: "syntax", line: 3, column: 15 }] });
  });
});

describe("cronProblem", () => {
  it("accepts 5 and 6 fields and aliases, refuses the rest", () => {
    expect(cronProblem("0 3 * * *", "Europe/Paris")).toBeNull();
    expect(cronProblem("0 0 3 * * 1-5", undefined)).toBeNull();
    expect(cronProblem("@daily", "UTC")).toBeNull();
    expect(cronProblem("* * *", undefined)).toContain("expected 5 fields");
    expect(cronProblem("61 * * * *", undefined)).toContain("61");
    expect(cronProblem("0 3 31 2 *", undefined)).toContain("never matches a date");
  });
});

describe("findCycle", () => {
  it("finds the shortest way back, and none in a DAG", () => {
    const deps = [
      { from: "a", to: "b", kind: "trigger" },
      { from: "b", to: "c", kind: "trigger" },
      { from: "c", to: "a", kind: "subflow" },
      { from: "b", to: "a", kind: "trigger" },
    ];
    expect(findCycle("a", deps)?.path).toEqual(["a", "b", "a"]);
    expect(findCycle("a", deps.slice(0, 2))).toBeNull();
    expect(findCycle("a", [{ from: "a", to: "a", kind: "trigger" }])?.path).toEqual(["a", "a"]);
  });
});
