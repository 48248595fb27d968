/**
 * GET /namespaces/{name}/access (the console's "who can do what"): computed by the
 * authorizer's rules — ownership of the namespace or an ancestor (maintainer), bindings on
 * it or an ancestor, platform-admin — and checked here against what the callers really may do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let admin: ApiClient;
let auditorKey: string;

beforeAll(async () => {
  server = await startServer();
  admin = new ApiClient(server.api, server.adminKey);
  for (const t of ["retail", "sales", "supply"]) expect((await admin.post("/teams", { name: t })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "retail", ownerTeam: "retail" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
  expect((await admin.post("/namespaces", { name: "retail.sales.crm", ownerTeam: "sales" })).status).toBe(201);
  expect((await admin.post("/role-bindings", { role: "developer", namespace: "retail", team: "supply" })).status).toBe(201);
  auditorKey = await makeServiceAccount(admin, "auditor", "audit", [{ role: "viewer", namespace: "retail.sales" }, { role: "executor", namespace: "retail.sales" }]);
  // Below retail.sales: acts on the child only.
  await makeServiceAccount(admin, "crm-ci", "audit", [{ role: "developer", namespace: "retail.sales.crm" }]);
});
afterAll(async () => {
  await server?.stop();
});

const brief = (entries: any[]) => entries.map((e) => `${e.subject.kind} ${e.subject.name}: ${e.role} (${e.sources.map((s: any) => `${s.role} by ${s.kind} on ${s.namespace ?? "*"}`).join(", ")})`);

describe("GET /namespaces/{name}/access", () => {
  it("lists who holds a role in a namespace, the strongest first, with every reason", async () => {
    const a = await admin.get("/namespaces/retail.sales/access");
    expect(a.status).toBe(200);
    const admins = a.body.entries.filter((e: any) => e.role === "platform-admin");
    expect(admins.length).toBeGreaterThan(0);
    expect(admins[0].permissions).toContain("access.manage");
    expect(brief(a.body.entries.filter((e: any) => e.role !== "platform-admin"))).toEqual([
      "team retail: maintainer (maintainer by ownership on retail)",
      "team sales: maintainer (maintainer by ownership on retail.sales)",
      "team supply: developer (developer by binding on retail)",
      "service-account auditor: executor (executor by binding on retail.sales, viewer by binding on retail.sales)",
    ]);
    expect(a.body.entries.find((e: any) => e.subject.name === "auditor").permissions).toEqual(["namespace.read", "execution.trigger"]);
    const child = await admin.get("/namespaces/retail.sales.crm/access");
    expect(brief(child.body.entries).find((l) => l.includes("crm-ci"))).toBe("service-account crm-ci: developer (developer by binding on retail.sales.crm)");
    expect(brief(a.body.entries).some((l) => l.includes("crm-ci"))).toBe(false);
  });

  it("says what the authorizer decides: the auditor reads and triggers, but cannot write", async () => {
    const auditor = admin.as(auditorKey);
    expect((await auditor.get("/namespaces/retail.sales/access")).status).toBe(200);
    expect((await auditor.get("/flows/retail.sales")).status).toBe(200);
    const put = await auditor.put("/flows/retail.sales/x", "id: x\nnamespace: retail.sales\ntasks:\n  - { id: a, type: core.log, message: hi }\n");
    expect(put.status).toBe(403);
    expect((await auditor.get("/flows/retail")).status).toBe(403);
    expect(brief((await admin.get("/namespaces/retail/access")).body.entries).some((l) => l.includes("auditor"))).toBe(false);
  });

  it("answers 404 for a namespace that does not exist, saying how to list them", async () => {
    const a = await admin.get("/namespaces/retail.nope/access");
    expect(a.status).toBe(404);
    expect(a.body.detail).toContain("namespace retail.nope does not exist");
  });
});
