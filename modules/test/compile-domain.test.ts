import { describe, expect, it } from "vitest";
import { compileDomain, escapeTerraformTemplate, ModuleError } from "../src/index.ts";
import { fixture } from "./fixtures.ts";

describe("compileDomain (the entry point of SqlDomain)", () => {
  it("compiles the sales fixture: 5 tables, 1 view, 6 flows, 1 grant", () => {
    const { domain, graph, flows } = compileDomain(fixture("sales"));
    expect([domain.tables.length, domain.views.length, flows.length, graph.requiredGrants.map((g) => `${g.upstreamNamespace} -> ${g.downstreamNamespace}`)]).toEqual([5, 1, 6, ["retail.supply -> retail.sales"]]);
  });

  it("leaves Terraform escaping to the construct: the YAML holds ${ once, escaping doubles it", () => {
    const orders = compileDomain(fixture("sales")).flows.find((f) => f.id === "sales_ods.orders")!;
    expect(orders.yaml).toContain("FORMAT('${currency}%s'");
    expect(escapeTerraformTemplate(orders.yaml)).toContain("FORMAT('$${currency}%s'");
    expect(escapeTerraformTemplate(orders.yaml)).toContain("r'%%{[a-z]+}'");
  });

  it("throws ModuleErrors", () => {
    expect(() => compileDomain(fixture("errors/cycle"))).toThrow(ModuleError);
  });
});
