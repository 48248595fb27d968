import { describe, expect, it } from "vitest";
import { nameRule } from "./common.ts";

// terraform validate reports the API's own rules (@meshplane/rules) in the API's words.
describe("name rules at validate", () => {
  it("checks a namespace with the control plane's limits: 10 segments, 200 characters", () => {
    const check = nameRule("namespace");
    expect(check("retail.sales")).toBeUndefined();
    expect(check("a.b.c.d.e.f.g.h.i.j.k")).toBe('"a.b.c.d.e.f.g.h.i.j.k" must have at most 10 segments.');
    // Before the shared rules, a long name in few segments passed validate and failed at apply.
    expect(check(`a.${"n".repeat(199)}`)).toBe(`"a.${"n".repeat(199)}" must be at most 200 characters.`);
    expect(check("Retail")).toBe('"Retail" must be dot-separated segments of [a-z0-9_], such as `retail.sales`.');
  });

  it("checks flow ids, teams and tables with their patterns and lengths", () => {
    expect(nameRule("flowId")("daily.orders")).toBeUndefined();
    expect(nameRule("flowId")("f".repeat(101))).toBe(`"${"f".repeat(101)}" must be at most 100 characters.`);
    expect(nameRule("team")("Sales")).toMatch(/^"Sales" must be 1-63 characters/);
    expect(nameRule("table")("orders-2024")).toBeUndefined();
  });
});
