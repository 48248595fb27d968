/** Platform policies over HTTP (SPEC §12): CEL rules enforced at flow and table PUT, reported by validate and check in the same words. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { flowYaml } from "./flows-fixtures.ts";

const OWNER = 'has(object.labels) && has(object.labels.owner) && object.labels.owner != ""';
const policy = (namespace: string, expression: string, severity: "error" | "warning", message: string, appliesTo: "flow" | "table" = "flow") => ({ namespace, appliesTo, expression, severity, message });
const column = (name: string, description?: string) => ({ name, type: "STRING", mode: "NULLABLE", ...(description ? { description } : {}) });

describe("platform policies", () => {
  let server: TestServer;
  let admin: ApiClient;
  let dev: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["platform", "sales", "supply"]) await admin.post("/teams", { name: team });
    await admin.post("/namespaces", { name: "pol", ownerTeam: "platform" });
    await admin.post("/namespaces", { name: "pol.sales", ownerTeam: "sales" });
    await admin.post("/namespaces", { name: "pol.sales.crm", ownerTeam: "sales" });
    await admin.post("/namespaces", { name: "pol.supply", ownerTeam: "supply" });
    dev = admin.as(await makeServiceAccount(admin, "dev-pol", "sales", [{ role: "developer", namespace: "pol" }]));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses an expression that does not compile with a 400 naming line and column, and stores nothing", async () => {
    const syntax = await admin.put("/policies/broken", policy("pol", "has(object.labels) &&\n  object.labels.owner ==", "error", "m"));
    expect(syntax.status).toBe(400);
    expect(syntax.body.detail).toMatch(/^expression does not compile, at line \d+, column \d+: syntax error/);
    expect(syntax.body.errors[0]).toMatchObject({ pointer: "/expression", line: expect.any(Number), column: expect.any(Number) });
    const unknown = await admin.put("/policies/broken", policy("pol", "has(object.id) &&\n  owner(object)", "error", "m"));
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain("at line 2, column 3: unknown function owner()");
    const notBool = await admin.put("/policies/broken", policy("pol", "size(object.tasks)", "error", "m"));
    expect(notBool.status).toBe(400);
    expect(notBool.body.detail).toContain("at line 1, column 1: the expression must return a bool");
    expect((await admin.put("/policies/broken", { ...policy("pol", "true", "error", "m"), severity: "fatal" })).status).toBe(400);
    expect((await admin.put("/policies/broken", { ...policy("pol", "true", "error", "m"), extra: 1 })).status).toBe(400);
    expect((await admin.get("/policies/broken")).status).toBe(404);
  });

  it("is written by platform admins only, read by anyone authenticated", async () => {
    const denied = await dev.put("/policies/mine", policy("pol", "true", "warning", "m"));
    expect(denied.status).toBe(403);
    expect((await admin.put("/policies/readable", policy("pol.nowhere", "true", "warning", "m"))).status).toBe(201);
    expect((await dev.get("/policies/readable")).body).toMatchObject({ name: "readable", revision: 1, createdBy: "platform-admin" });
    expect((await dev.delete("/policies/readable")).status).toBe(403);
    expect((await admin.delete("/policies/readable")).status).toBe(204);
    expect((await admin.delete("/policies/readable")).status).toBe(404);
  });

  it("refuses a flow PUT failing error policies with a 422 naming every one and its message; writes nothing", async () => {
    expect((await admin.put("/policies/flow-owner", policy("pol", OWNER, "error", "give the flow an owner label"))).status).toBe(201);
    expect((await admin.put("/policies/flow-described", policy("pol.sales", 'has(object.description) && object.description != ""', "error", "describe the flow"))).status).toBe(201);
    try {
      const refused = await dev.put("/flows/pol.sales/orders", flowYaml("pol.sales", "orders"));
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toBe(
        "flow pol.sales/orders is refused by 2 platform policies: policy flow-described (error, namespace pol.sales): describe the flow; policy flow-owner (error, namespace pol): give the flow an owner label",
      );
      expect(refused.body.policies).toEqual(["flow-described", "flow-owner"]);
      expect((await dev.get("/flows/pol.sales/orders")).status).toBe(404);
      const one = await dev.put("/flows/pol.sales/orders", flowYaml("pol.sales", "orders", "description: Orders\n"));
      expect(one.status).toBe(422);
      expect(one.body.detail).toBe("flow pol.sales/orders is refused by a platform policy: policy flow-owner (error, namespace pol): give the flow an owner label");
      const ok = await dev.put("/flows/pol.sales/orders", flowYaml("pol.sales", "orders", "description: Orders\nlabels: { owner: sales }\n"));
      expect(ok.status).toBe(201);
      expect(ok.body.warnings).toBeUndefined();
    } finally {
      await admin.delete("/policies/flow-described");
    }
  });

  it("lets a flow failing a warning policy through, answering the warning; validate says the same", async () => {
    await admin.put("/policies/flow-labels-team", policy("pol", "has(object.labels) && has(object.labels.team)", "warning", "add a team label"));
    try {
      const source = flowYaml("pol.sales", "warned", "labels: { owner: sales }\n");
      const put = await dev.put("/flows/pol.sales/warned", source);
      expect(put.status).toBe(201);
      expect(put.body.warnings).toEqual([{ kind: "policy", policy: "flow-labels-team", message: "policy flow-labels-team (warning, namespace pol): add a team label" }]);
      const report = await dev.post("/flows/validate", { source: flowYaml("pol.sales", "other") });
      expect(report.status).toBe(200);
      expect(report.body.valid).toBe(false);
      const policies = report.body.problems.filter((p: { kind: string }) => p.kind === "policy");
      expect(policies).toEqual([
        { kind: "policy", severity: "warning", message: "policy flow-labels-team (warning, namespace pol): add a team label" },
        { kind: "policy", severity: "error", message: "policy flow-owner (error, namespace pol): give the flow an owner label" },
      ]);
      // The words of validate's error are the words of PUT's 422.
      const refused = await dev.put("/flows/pol.sales/other", flowYaml("pol.sales", "other"));
      expect(refused.body.detail).toContain(policies[1].message);
      const fine = await dev.post("/flows/validate", { source });
      expect(fine.body).toEqual({ valid: true, problems: [policies[0]] });
    } finally {
      await admin.delete("/policies/flow-labels-team");
    }
  });

  it("governs its namespace's subtree only", async () => {
    await admin.put("/policies/sales-only", policy("pol.sales", "false", "error", "nothing in sales"));
    try {
      const labelled = (ns: string, id: string) => flowYaml(ns, id, "labels: { owner: x }\n");
      expect((await dev.put("/flows/pol.sales/a", labelled("pol.sales", "a"))).status).toBe(422);
      expect((await dev.put("/flows/pol.sales.crm/a", labelled("pol.sales.crm", "a"))).status).toBe(422);
      expect((await dev.put("/flows/pol.supply/a", labelled("pol.supply", "a"))).status).toBe(201);
      expect((await dev.put("/flows/pol/a", labelled("pol", "a"))).status).toBe(201);
    } finally {
      await admin.delete("/policies/sales-only");
    }
    // Deleted: enforced no more.
    expect((await dev.put("/flows/pol.sales/a", flowYaml("pol.sales", "a", "labels: { owner: x }\n"))).status).toBe(201);
  });

  it("sees `namespaceObject` with its owner team; `namespace`, reserved in CEL, is refused with a hint", async () => {
    const reserved = await admin.put("/policies/owner-is-team", policy("pol", "object.labels.owner == namespace.ownerTeam", "error", "m"));
    expect(reserved.status).toBe(400);
    expect(reserved.body.detail).toContain("the object's namespace is `namespaceObject`");
    expect((await admin.put("/policies/owner-is-team", policy("pol", "object.labels.owner == namespaceObject.ownerTeam && namespaceObject.name == object.namespace", "error", "the owner label is the namespace's team"))).status).toBe(201);
    try {
      expect((await dev.put("/flows/pol.sales.crm/b", flowYaml("pol.sales.crm", "b", "labels: { owner: supply }\n"))).status).toBe(422);
      expect((await dev.put("/flows/pol.sales.crm/b", flowYaml("pol.sales.crm", "b", "labels: { owner: sales }\n"))).status).toBe(201);
    } finally {
      await admin.delete("/policies/owner-is-team");
    }
  });

  it("reports an evaluation error as a violation of the policy carrying CEL's error, not a 500", async () => {
    await admin.put("/policies/needs-tier", policy("pol", 'object.labels.tier == "gold"', "error", "flows of pol are gold"));
    try {
      const refused = await dev.put("/flows/pol.sales/c", flowYaml("pol.sales", "c", "labels: { owner: sales }\n"));
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toContain("policy needs-tier (error, namespace pol): flows of pol are gold (the expression could not be evaluated: ");
      expect(refused.body.detail).toContain("tier");
    } finally {
      await admin.delete("/policies/needs-tier");
    }
  });

  it("enforces table policies at PUT and reports them by check in the same words", async () => {
    await admin.put("/policies/columns-described", policy("pol", 'object.schema.fields.all(f, has(f.description) && f.description != "")', "error", "describe every column", "table"));
    await admin.put("/policies/tables-described", policy("pol", 'object.description != ""', "warning", "describe the table", "table"));
    try {
      const path = "/tables/pol.sales/pol_sales.orders";
      const bare = { schema: { fields: [column("id", "the id"), column("amount")] }, feedType: "WRITE_APPEND" };
      const check = await dev.post(`${path}/check`, bare);
      expect(check.status).toBe(200);
      expect(check.body.accepted).toBe(false);
      expect(check.body.problems).toEqual([{ kind: "policy", message: "policy columns-described (error, namespace pol): describe every column" }]);
      expect(check.body.warnings).toEqual([{ kind: "policy", policy: "tables-described", message: "policy tables-described (warning, namespace pol): describe the table" }]);
      const refused = await dev.put(path, bare);
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toBe(`table contract pol.sales/pol_sales.orders is refused by a platform policy: ${check.body.problems[0].message}`);
      expect((await dev.get(path)).status).toBe(404);
      const described = { ...bare, schema: { fields: [column("id", "the id"), column("amount", "in euros")] } };
      expect((await dev.post(`${path}/check`, described)).body).toMatchObject({ accepted: true, problems: [] });
      const put = await dev.put(path, described);
      expect(put.status).toBe(201);
      expect(put.body.warnings).toEqual(check.body.warnings);
      // A flow policy does not apply to tables, nor a table policy to flows.
      expect((await dev.put("/flows/pol.sales/d", flowYaml("pol.sales", "d", "labels: { owner: sales }\n"))).status).toBe(201);
    } finally {
      await admin.delete("/policies/columns-described");
      await admin.delete("/policies/tables-described");
    }
  });

  it("updates with If-Match, keeps an unchanged policy's revision, lists, and audits create/update/delete with before and after", async () => {
    const created = await admin.put("/policies/audited", policy("pol.nowhere", "true", "warning", "v1"));
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    expect((await admin.put("/policies/audited", policy("pol.nowhere", "true", "warning", "v1"))).body.revision).toBe(1);
    const stale = await admin.put("/policies/audited", policy("pol.nowhere", "true", "warning", "v2"), { "if-match": '"7"' });
    expect(stale.status).toBe(409);
    const updated = await admin.put("/policies/audited", policy("pol.nowhere", "false", "warning", "v2"), { "if-match": '"1"' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ revision: 2, expression: "false", message: "v2" });
    expect((await admin.put("/policies/never", policy("pol", "true", "warning", "m"), { "if-match": "*" })).status).toBe(409);
    const listed = await dev.get("/policies?namespace=pol.nowhere");
    expect(listed.body.items.map((p: { name: string }) => p.name)).toEqual(["audited"]);
    expect((await admin.delete("/policies/audited")).status).toBe(204);
    const audit = await admin.get("/audit?resourceType=policy&resourceId=audited");
    const events = audit.body.items.map((e: { action: string; before: unknown; after: unknown }) => ({ action: e.action, before: (e.before as { message?: string } | null)?.message ?? null, after: (e.after as { message?: string } | null)?.message ?? null }));
    expect(events).toEqual([
      { action: "policy.delete", before: "v2", after: null },
      { action: "policy.update", before: "v1", after: "v2" },
      { action: "policy.create", before: null, after: "v1" },
    ]);
  });
});
