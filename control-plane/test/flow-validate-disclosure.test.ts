/**
 * What /flows/validate (and PUT) tell about namespaces the caller cannot read (issue 10,
 * finding 6), over HTTP on a real server: no more than a 403 would. The same answer
 * whether a referenced flow there exists or not, and cycles named without the flows
 * (and so the edges) of such namespaces. Two callers of one team: one may read
 * retail.finance (a viewer binding), the other may not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { flowYaml, triggerOn } from "./flows-fixtures.ts";

const subflowCall = (namespace: string, flowId: string) =>
  `  - id: call\n    type: core.subflow\n    namespace: ${namespace}\n    flowId: ${flowId}\n`;

describe("validate discloses nothing about unreadable namespaces", () => {
  let server: TestServer;
  let admin: ApiClient;
  let supply: ApiClient;
  let supplyReader: ApiClient;
  let finance: ApiClient;

  /** The probe flow of retail.supply, listening to `flowId` of retail.finance (and calling it). */
  const probe = (flowId: string) => flowYaml("retail.supply", "probe", triggerOn(["retail.finance", flowId]));
  const caller = (flowId: string) => `${flowYaml("retail.supply", "caller")}${subflowCall("retail.finance", flowId)}`;

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["platform-data", "supply", "finance", "hr"]) await admin.post("/teams", { name: team });
    await admin.post("/namespaces", { name: "retail", ownerTeam: "platform-data" });
    await admin.post("/namespaces", { name: "retail.supply", ownerTeam: "supply" });
    await admin.post("/namespaces", { name: "retail.finance", ownerTeam: "finance" });
    await admin.post("/namespaces", { name: "retail.hr", ownerTeam: "hr" });
    supply = admin.as(await makeServiceAccount(admin, "ci-supply", "supply"));
    supplyReader = admin.as(await makeServiceAccount(admin, "supply-reader", "supply", [{ role: "viewer", namespace: "retail.finance" }]));
    finance = admin.as(await makeServiceAccount(admin, "ci-finance", "finance"));
    const hr = admin.as(await makeServiceAccount(admin, "ci-hr", "hr"));
    // Consent both ways, so references between supply and finance raise no permission problem.
    expect((await finance.post("/trigger-grants", { upstreamNamespace: "retail.finance", downstreamNamespace: "retail.supply", kinds: ["trigger", "subflow"] })).status).toBe(201);
    expect((await supply.post("/trigger-grants", { upstreamNamespace: "retail.supply", downstreamNamespace: "retail.finance", kinds: ["trigger"] })).status).toBe(201);
    expect((await finance.put("/flows/retail.finance/exists", flowYaml("retail.finance", "exists"))).status).toBe(201);
    expect((await hr.put("/flows/retail.hr/payroll", flowYaml("retail.hr", "payroll"))).status).toBe(201);
    // retail.supply/s1 ← retail.finance/f2 ← retail.finance/f1: s1 listening to f1 would close a cycle.
    expect((await supply.put("/flows/retail.supply/s1", flowYaml("retail.supply", "s1"))).status).toBe(201);
    expect((await finance.put("/flows/retail.finance/f2", flowYaml("retail.finance", "f2", triggerOn(["retail.supply", "s1"])))).status).toBe(201);
    expect((await finance.put("/flows/retail.finance/f1", flowYaml("retail.finance", "f1", triggerOn(["retail.finance", "f2"])))).status).toBe(201);
    expect((await supply.get("/flows/retail.finance/exists")).status).toBe(403);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers the same for an existing and a missing flow of a namespace the caller cannot read", async () => {
    for (const source of [probe, caller]) {
      const existing = await supply.post("/flows/validate", source("exists"));
      const missing = await supply.post("/flows/validate", source("ghost"));
      expect(existing.status).toBe(200);
      expect(missing.status).toBe(200);
      expect(missing.body).toEqual(existing.body);
      expect(missing.body).toEqual({ valid: true, problems: [] });
    }
  });

  it("still warns a caller who can read the namespace that the flow is not registered (yet)", async () => {
    expect((await supplyReader.post("/flows/validate", probe("exists"))).body).toEqual({ valid: true, problems: [] });
    const missing = await supplyReader.post("/flows/validate", probe("ghost"));
    expect(missing.body.problems).toEqual([
      expect.objectContaining({ kind: "reference", severity: "warning", message: "flow retail.finance/ghost is not registered (yet); the trigger cannot fire until it is" }),
    ]);
  });

  it("gives the same refusal at PUT and in validate, existing flow or not, when the grant is missing", async () => {
    const hrProbe = (flowId: string) => flowYaml("retail.supply", "hr_probe", triggerOn(["retail.hr", flowId]));
    const put = async (flowId: string) => {
      const answer = await supply.put("/flows/retail.supply/hr_probe", hrProbe(flowId));
      return { status: answer.status, body: { ...answer.body, instance: undefined, requestId: undefined } };
    };
    const [existing, missing] = [await put("payroll"), await put("ghost")];
    expect(existing.status).toBe(403);
    expect(JSON.stringify(missing).replaceAll("ghost", "payroll")).toBe(JSON.stringify(existing));
    const [vExisting, vMissing] = [await supply.post("/flows/validate", hrProbe("payroll")), await supply.post("/flows/validate", hrProbe("ghost"))];
    expect(JSON.stringify(vMissing.body).replaceAll("ghost", "payroll")).toBe(JSON.stringify(vExisting.body));
  });

  it("names a cycle without the flows of namespaces the caller cannot read, at PUT and in validate", async () => {
    const closing = flowYaml("retail.supply", "s1", triggerOn(["retail.finance", "f1"]));
    const hidden =
      "flow retail.supply/s1 would close a cycle of flow triggers and subflow calls: retail.supply/s1 → retail.finance/f1 → (flows you cannot read) → retail.supply/s1 " +
      "(each arrow: triggers on or calls); remove one of these references";
    const report = await supply.post("/flows/validate", closing);
    expect(report.body).toEqual({ valid: false, problems: [expect.objectContaining({ kind: "cycle", severity: "error", message: hidden, pointer: "/triggers/0/upstream/0" })] });
    expect(JSON.stringify(report.body)).not.toContain("f2");
    const refused = await supply.put("/flows/retail.supply/s1", closing);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toBe(hidden);
    expect(JSON.stringify({ ...refused.body, requestId: undefined })).not.toContain("f2"); // a random request id may hold "f2"

    // A caller who may read retail.finance sees the whole cycle, as /dependencies would show it.
    const full = await supplyReader.post("/flows/validate", closing);
    expect(full.body.problems).toContainEqual(
      expect.objectContaining({ kind: "cycle", message: expect.stringContaining("retail.supply/s1 → retail.finance/f1 → retail.finance/f2 → retail.supply/s1 (each arrow") }),
    );
    expect((await supplyReader.get("/flows/retail.finance/f1/dependencies?direction=up")).body.edges).toEqual([
      { from: { namespace: "retail.finance", id: "f2" }, to: { namespace: "retail.finance", id: "f1" }, kind: "trigger" },
    ]);
    expect((await supply.get("/flows/retail.finance/f1/dependencies?direction=up")).status).toBe(403);
  });

  it("walks dependencies only through namespaces the caller can read", async () => {
    // retail.supply/s1 → retail.finance/f2 → retail.finance/f1 (each triggers on the one before).
    const hiddenF2 = { namespace: "retail.finance", id: "f2", hidden: true };
    const s1ToF2 = { from: { namespace: "retail.supply", id: "s1" }, to: { namespace: "retail.finance", id: "f2" }, kind: "trigger" };
    const down = await supply.get("/flows/retail.supply/s1/dependencies?direction=down&recursive=true");
    expect(down.status).toBe(200);
    expect(down.body).toEqual({ nodes: [hiddenF2, { namespace: "retail.supply", id: "s1", registered: true }], edges: [s1ToF2] });
    expect(JSON.stringify(down.body)).not.toContain("f1");
    const full = await supplyReader.get("/flows/retail.supply/s1/dependencies?direction=down&recursive=true");
    expect(full.body.nodes.map((n: { id: string }) => n.id)).toEqual(["f1", "f2", "s1"]);
    expect(full.body.nodes.some((n: { hidden?: boolean }) => n.hidden)).toBe(false);
    expect(full.body.edges).toHaveLength(2);
  });

  it("reports no cycle for a flow of a namespace the caller cannot read: only the 403 PUT would give", async () => {
    const foreign = flowYaml("retail.finance", "f2", triggerOn(["retail.finance", "f1"]));
    const put = await supply.put("/flows/retail.finance/f2", foreign);
    expect(put.status).toBe(403);
    const report = await supply.post("/flows/validate", foreign);
    expect(report.body).toEqual({ valid: false, problems: [{ kind: "permission", severity: "error", message: put.body.detail, pointer: "/namespace", line: 2, column: 12 }] });
    // The same source validated by someone who may read retail.finance shows the cycle.
    expect((await finance.post("/flows/validate", foreign)).body.problems).toEqual([expect.objectContaining({ kind: "cycle" })]);
  });
});
