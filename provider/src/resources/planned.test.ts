// The provider's record of planned objects: what it sends with a flow's validation
// (only what the YAML can mention, unknowns left out), and the files through which
// the provider processes of one terraform run share it.
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UNKNOWN } from "../wire/types.ts";
import { SharedPlanFiles } from "./planned-share.ts";
import { PlannedObjects } from "./planned.ts";

const dirs: string[] = [];
const runDir = () => {
  const d = mkdtempSync(join(tmpdir(), "meshplane-planned-test-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const source = "id: replenish\nnamespace: retail.supply\ntriggers:\n  - { id: t, type: flow, upstream: [{ namespace: retail.sales, flowId: orders }] }\n";

describe("PlannedObjects", () => {
  it("sends only what the source can mention: ancestors by prefix, flows by namespace and id", () => {
    const p = new PlannedObjects();
    p.namespace("retail", "platform");
    p.namespace("retail.supply", "supply");
    p.namespace("hr", "hr");
    p.grant("retail.sales", null, "retail.supply", ["trigger"]);
    p.grant("hr", null, "retail.supply", ["trigger"]);
    p.flow("retail.sales", "orders");
    p.flow("retail.sales", "refunds");
    expect(p.forSource(source)).toEqual({
      namespaces: [{ name: "retail", ownerTeam: "platform" }, { name: "retail.supply", ownerTeam: "supply" }],
      triggerGrants: [{ upstreamNamespace: "retail.sales", upstreamFlow: null, downstreamNamespace: "retail.supply", kinds: ["trigger"] }],
      flows: [{ namespace: "retail.sales", id: "orders" }],
    });
    expect(p.forSource("id: x\nnamespace: finance\n")).toBeUndefined();
    // The flow being validated is left out: alone, the YAML goes as it always did.
    const alone = new PlannedObjects();
    alone.flow("retail.supply", "replenish");
    expect(alone.forSource(source, { namespace: "retail.supply", id: "replenish" })).toBeUndefined();
  });

  it("says whether this plan creates a namespace or an ancestor of it", () => {
    const p = new PlannedObjects();
    p.namespace("retail", "platform");
    expect([p.governsPlanned("retail"), p.governsPlanned("retail.sales"), p.governsPlanned("retailx"), p.governsPlanned("hr")]).toEqual([true, true, false, false]);
    p.namespace(UNKNOWN, "hr");
    expect(p.governsPlanned("hr")).toBe(true); // it could be the one whose name only apply knows
  });

  it("leaves out what only apply knows, and keeps such records (they may be anything)", () => {
    const p = new PlannedObjects();
    p.namespace(UNKNOWN, "supply");
    p.grant("retail.sales", UNKNOWN, UNKNOWN, [UNKNOWN]);
    p.flow(UNKNOWN, "orders"); // a flow without a known name cannot be told apart: not recorded
    expect(p.forSource(source)).toEqual({ namespaces: [{ ownerTeam: "supply" }], triggerGrants: [{ upstreamNamespace: "retail.sales" }] });
  });

  it("records an object once, however often it is planned", () => {
    const dir = runDir();
    const p = new PlannedObjects(new SharedPlanFiles(dir, "ep", 1));
    p.namespace("retail.supply", "supply");
    p.namespace("retail.supply", "supply");
    expect(p.forSource(source)?.namespaces).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(["ep.1.jsonl"]);
  });
});

describe("SharedPlanFiles", () => {
  it("lets one process see what another of the same run and endpoint planned, each record once", () => {
    const dir = runDir();
    const admin = new PlannedObjects(new SharedPlanFiles(dir, "ep", 1));
    const team = new PlannedObjects(new SharedPlanFiles(dir, "ep", 2));
    const otherEndpoint = new PlannedObjects(new SharedPlanFiles(dir, "other", 3));
    admin.namespace("retail.supply", "supply");
    admin.grant("retail.sales", "orders", "retail.supply", ["trigger"]);
    expect(team.forSource(source)).toEqual({
      namespaces: [{ name: "retail.supply", ownerTeam: "supply" }],
      triggerGrants: [{ upstreamNamespace: "retail.sales", upstreamFlow: "orders", downstreamNamespace: "retail.supply", kinds: ["trigger"] }],
    });
    expect(otherEndpoint.forSource(source)).toBeUndefined();
    admin.flow("retail.sales", "orders");
    expect(team.forSource(source)?.flows).toEqual([{ namespace: "retail.sales", id: "orders" }]);
    expect(team.forSource(source)?.namespaces).toHaveLength(1);
  });

  it("waits for a line being written, and sends only the fields the API takes from a sibling's record", () => {
    const dir = runDir();
    const reader = new SharedPlanFiles(dir, "ep", 1);
    const file = join(dir, "ep.2.jsonl");
    appendFileSync(file, '{"kind":"namespace","name":"retail.supply","ownerTeam":"sup');
    expect(reader.readNew()).toEqual([]);
    appendFileSync(file, 'ply"}\nnot json\n{"kind":"table","name":"x"}\n');
    expect(reader.readNew()).toEqual([{ kind: "namespace", name: "retail.supply", ownerTeam: "supply" }]);
    const p = new PlannedObjects(new SharedPlanFiles(dir, "ep", 3));
    appendFileSync(file, '{"kind":"namespace","name":"retail.supply","ownerTeam":7,"extra":true}\n{"kind":"flow","namespace":"retail.sales"}\n');
    expect(p.forSource(source)).toEqual({ namespaces: [{ name: "retail.supply", ownerTeam: "supply" }, { name: "retail.supply" }] });
  });
});
