/**
 * The README's worked policy examples, read from its "Platform policies" section, each
 * evaluated on an object that complies and on one that does not (with the compiler the
 * API uses). A README example that stops compiling or stops meaning what it says fails here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compilePolicy } from "../src/policies/cel.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const section = readme.slice(readme.indexOf("### Platform policies"), readme.indexOf("### `POST /flows/validate` with planned objects"));
const examples = [...section.matchAll(/```cel\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

const flow = (more: Record<string, unknown> = {}) => ({
  id: "sales_raw.orders_raw",
  namespace: "retail.sales",
  labels: { owner: "sales" },
  tasks: [{ id: "load", type: "sql.query", sql: "SELECT 1" }],
  triggers: [{ id: "nightly", type: "schedule", cron: "15 2 * * *" }],
  ...more,
});
const table = (fields: unknown[]) => ({ namespace: "retail.sales", dataset: "sales_ods", table: "orders", name: "sales_ods.orders", schema: { fields }, feedType: "WRITE_APPEND", keys: [], description: "" });
const namespaceObject = { name: "retail.sales", ownerTeam: "sales" };

/** In the README's order: [what it says, complying object, failing object]. */
const cases: [string, unknown, unknown][] = [
  ["owner label required", flow(), flow({ labels: { team: "sales" } })],
  ["naming pattern per layer", flow(), flow({ id: "orders_staging.orders" })],
  ["allowed task types", flow({ tasks: [{ id: "a", type: "core.log", message: "x" }] }), flow({ tasks: [{ id: "a", type: "http.request", url: "https://x" }] })],
  ["no raw schedule between 08:00 and 20:00", flow({ triggers: [{ id: "t", type: "schedule", cron: "0 21 * * *" }] }), flow({ triggers: [{ id: "t", type: "schedule", cron: "30 9 * * *" }] })],
  ["column descriptions required", table([{ name: "id", type: "INT64", description: "the id" }]), table([{ name: "id", type: "INT64", description: "the id" }, { name: "amount", type: "NUMERIC" }])],
];

describe("the README's policy examples", () => {
  it("are all there", () => {
    expect(examples).toHaveLength(cases.length);
  });

  cases.forEach(([what, passing, failing], i) => {
    it(`${what}: passes a complying object, fails another`, () => {
      const compiled = compilePolicy(examples[i]!);
      if (!compiled.ok) throw new Error(`example ${i + 1} does not compile: ${JSON.stringify(compiled.problem)}`);
      expect(compiled.run({ object: passing, namespaceObject })).toEqual({ pass: true });
      expect(compiled.run({ object: failing, namespaceObject })).toEqual({ pass: false });
    });
  });

  it("the raw-layer schedule rule leaves other layers alone, and refuses an hour it cannot read", () => {
    const compiled = compilePolicy(examples[3]!);
    if (!compiled.ok) throw new Error("does not compile");
    expect(compiled.run({ object: flow({ id: "sales_mart.revenue", triggers: [{ id: "t", type: "schedule", cron: "0 12 * * *" }] }), namespaceObject })).toEqual({ pass: true });
    expect(compiled.run({ object: flow({ triggers: [{ id: "t", type: "schedule", cron: "0 * * * *" }] }), namespaceObject })).toEqual({ pass: false });
    expect(compiled.run({ object: flow({ triggers: undefined }), namespaceObject })).toEqual({ pass: true });
  });
});

describe("compiling", () => {
  it("names line and column of a syntax error, an unknown function and a non-bool result", () => {
    expect(compilePolicy("object.id ==")).toMatchObject({ ok: false, problem: { line: 1 } });
    expect(compilePolicy("has(object.id) &&\n  foo(object.id)")).toMatchObject({ ok: false, problem: { line: 2, column: 3, message: expect.stringContaining("unknown function foo()") } });
    expect(compilePolicy("size(object.tasks)")).toMatchObject({ ok: false, problem: { line: 1, column: 1, message: expect.stringContaining("must return a bool") } });
    expect(compilePolicy("object.tasks.map(t, t.type)")).toMatchObject({ ok: false, problem: { message: expect.stringContaining("a list") } });
  });

  it("reports an evaluation error (a missing field, a non-bool value) as a failure carrying CEL's words", () => {
    const missing = compilePolicy("object.labels.owner == 'x'");
    if (!missing.ok) throw new Error("does not compile");
    expect(missing.run({ object: { labels: {} }, namespaceObject })).toEqual({ pass: false, error: expect.stringContaining("owner") });
    const notBool = compilePolicy("object.id");
    if (!notBool.ok) throw new Error("does not compile");
    expect(notBool.run({ object: { id: "x" }, namespaceObject })).toEqual({ pass: false, error: expect.stringContaining("not a bool") });
  });
});
