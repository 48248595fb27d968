/**
 * The cross-team rule (SPEC §3), trigger grants, cycles and bad input, over HTTP on a
 * real server: PUT refuses, /flows/validate reports in the same words, nothing is
 * written on refusal (rows and audit log checked).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { flowYaml, triggerOn } from "./flows-fixtures.ts";

const STOCK_GRANT_MESSAGE =
  "flow retail.finance/margins triggers on retail.supply/stock_levels, owned by team supply, but no trigger grant lets retail.finance listen to retail.supply; " +
  'a maintainer of retail.supply (team supply) can create it: POST /api/v1/trigger-grants {"upstreamNamespace":"retail.supply","upstreamFlow":"stock_levels","downstreamNamespace":"retail.finance","kinds":["trigger"]}';

describe("flows across teams", () => {
  let server: TestServer;
  let admin: ApiClient;
  let supply: ApiClient;
  let finance: ApiClient;
  let financeViewer: ApiClient;

  const margins = (extra = "") => flowYaml("retail.finance", "margins", triggerOn(["retail.supply", "stock_levels"]) + extra);
  const auditCount = async () => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { items: unknown[]; nextCursor: string | null } } = await admin.get(`/audit?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
      n += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    return n;
  };

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["platform-data", "supply", "finance"]) await admin.post("/teams", { name: team });
    await admin.post("/namespaces", { name: "retail", ownerTeam: "platform-data" });
    await admin.post("/namespaces", { name: "retail.supply", ownerTeam: "supply" });
    await admin.post("/namespaces", { name: "retail.finance", ownerTeam: "finance" });
    await admin.post("/namespaces", { name: "retail.loop", ownerTeam: "finance" });
    supply = admin.as(await makeServiceAccount(admin, "ci-supply", "supply"));
    finance = admin.as(await makeServiceAccount(admin, "ci-finance", "finance"));
    financeViewer = admin.as(await makeServiceAccount(admin, "finance-viewer", "finance", [{ role: "viewer", namespace: "retail.supply" }]));
    expect((await supply.put("/flows/retail.supply/stock_levels", flowYaml("retail.supply", "stock_levels"))).status).toBe(201);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses a flow trigger on another team's flow with 403 naming the missing grant, and validate says the same words", async () => {
    const before = await auditCount();
    const refused = await finance.put("/flows/retail.finance/margins", margins());
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(STOCK_GRANT_MESSAGE);
    expect(refused.body.errors).toEqual([{ kind: "permission", pointer: "/triggers/0/upstream/0", message: STOCK_GRANT_MESSAGE, line: 11, column: 9 }]);
    expect((await finance.get("/flows/retail.finance/margins")).status).toBe(404);
    expect(await auditCount()).toBe(before);

    const report = await finance.post("/flows/validate", margins());
    expect(report.status).toBe(200);
    expect(report.body.valid).toBe(false);
    expect(report.body.problems).toEqual([{ kind: "permission", severity: "error", message: STOCK_GRANT_MESSAGE, pointer: "/triggers/0/upstream/0", line: 11, column: 9 }]);
  });

  it("lets the upstream maintainer grant (201, idempotent 200), then the PUT passes; revoking stops the next PUT", async () => {
    const denied = await finance.post("/trigger-grants", { upstreamNamespace: "retail.supply", downstreamNamespace: "retail.finance", kinds: ["trigger"] });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain("access.manage");

    const body = { upstreamNamespace: "retail.supply", upstreamFlow: "stock_levels", downstreamNamespace: "retail.finance", kinds: ["trigger"] };
    const grant = await supply.post("/trigger-grants", body);
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({ ...body, createdBy: "ci-supply" });
    const again = await supply.post("/trigger-grants", body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(grant.body.id);
    expect((await supply.post("/trigger-grants", { ...body, kinds: ["trigger", "subflow"] })).status).toBe(409);

    expect((await finance.post("/flows/validate", margins())).body).toEqual({ valid: true, problems: [] });
    expect((await finance.put("/flows/retail.finance/margins", margins())).status).toBe(201);

    // A subflow call needs kind subflow: the trigger grant does not cover it, even nested in foreach.
    const caller =
      "id: caller\nnamespace: retail.finance\ntasks:\n  - id: log\n    type: core.log\n    message: hello\n" +
      "  - id: each\n    type: core.foreach\n    values: [a, b]\n    tasks:\n      - { id: call, type: core.subflow, namespace: retail.supply, flowId: stock_levels }\n";
    const sub = await finance.put("/flows/retail.finance/caller", caller);
    expect(sub.status).toBe(403);
    expect(sub.body.detail).toContain("flow retail.finance/caller calls retail.supply/stock_levels as a subflow, owned by team supply, but no subflow grant lets retail.finance call retail.supply");
    expect(sub.body.errors[0].pointer).toBe("/tasks/1/tasks/0");

    const list = await financeViewer.get("/trigger-grants?downstreamNamespace=retail.finance");
    expect(list.body.items.map((g: { id: string }) => g.id)).toEqual([grant.body.id]);
    expect((await financeViewer.get(`/trigger-grants/${grant.body.id}`)).body.upstreamFlow).toBe("stock_levels");

    expect((await finance.delete(`/trigger-grants/${grant.body.id}`)).status).toBe(403);
    expect((await supply.delete(`/trigger-grants/${grant.body.id}`)).status).toBe(204);
    expect((await supply.get(`/trigger-grants/${grant.body.id}`)).status).toBe(404);
    const afterRevoke = await finance.put("/flows/retail.finance/margins", margins().replace("message: hello", "message: changed"));
    expect(afterRevoke.status).toBe(403);
    expect(afterRevoke.body.detail).toBe(STOCK_GRANT_MESSAGE);
    const actions = (await admin.get("/audit?resourceType=trigger-grant")).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["trigger-grant.delete", "trigger-grant.create"]);
  });

  it("accepts grants given on ancestors and for every flow of a namespace", async () => {
    const g = await supply.post("/trigger-grants", { upstreamNamespace: "retail.supply", downstreamNamespace: "retail", kinds: ["subflow", "trigger"] });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ upstreamFlow: null, kinds: ["subflow", "trigger"] });
    expect((await finance.put("/flows/retail.finance/margins", margins())).status).toBe(200);
    expect((await supply.delete(`/trigger-grants/${g.body.id}`)).status).toBe(204);
  });

  it("needs no grant within one team, and reports references: unknown namespace (422), unregistered flow (warning)", async () => {
    expect((await finance.put("/flows/retail.finance/own", flowYaml("retail.finance", "own"))).status).toBe(201);
    expect((await finance.put("/flows/retail.finance/uses_own", flowYaml("retail.finance", "uses_own", triggerOn(["retail.finance", "own"])))).status).toBe(201);

    const unknownNs = flowYaml("retail.finance", "lost", triggerOn(["nowhere.at_all", "x"]));
    const refused = await finance.put("/flows/retail.finance/lost", unknownNs);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ kind: "reference", pointer: "/triggers/0/upstream/0/namespace" });
    expect(refused.body.detail).toContain("namespace nowhere.at_all does not exist");
    const report = await finance.post("/flows/validate", unknownNs);
    expect(report.body.problems).toEqual([expect.objectContaining({ kind: "reference", severity: "error", message: refused.body.errors[0].message })]);

    const early = flowYaml("retail.finance", "early", triggerOn(["retail.finance", "not_yet"]));
    const warn = await finance.post("/flows/validate", early);
    expect(warn.body.valid).toBe(true);
    expect(warn.body.problems).toEqual([expect.objectContaining({ kind: "reference", severity: "warning", pointer: "/triggers/0/upstream/0" })]);
    expect((await finance.put("/flows/retail.finance/early", early)).status).toBe(201);
  });

  it("reports a missing flow.write in validate with exactly the 403 words of PUT", async () => {
    const yaml = flowYaml("retail.supply", "by_viewer");
    const put = await financeViewer.put("/flows/retail.supply/by_viewer", yaml);
    expect(put.status).toBe(403);
    const report = await financeViewer.post("/flows/validate", { source: yaml });
    expect(report.body.valid).toBe(false);
    expect(report.body.problems).toEqual([expect.objectContaining({ kind: "permission", message: put.body.detail, pointer: "/namespace", line: 2 })]);
  });

  it("refuses a trigger cycle across three flows (422 naming it) and writes nothing", async () => {
    const put = (id: string, extra: string) => finance.put(`/flows/retail.loop/${id}`, flowYaml("retail.loop", id, extra));
    expect((await put("a", "")).status).toBe(201);
    expect((await put("b", triggerOn(["retail.loop", "a"]))).status).toBe(201);
    expect((await put("c", triggerOn(["retail.loop", "b"]))).status).toBe(201);
    const before = await auditCount();

    const closing = flowYaml("retail.loop", "a", triggerOn(["retail.loop", "c"]));
    const refused = await finance.put("/flows/retail.loop/a", closing);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("retail.loop/a → retail.loop/c → retail.loop/b → retail.loop/a");
    expect(refused.body.errors[0]).toMatchObject({ kind: "cycle", pointer: "/triggers/0/upstream/0" });
    const a = await finance.get("/flows/retail.loop/a");
    expect(a.body.revision).toBe(1);
    expect(a.body.source).not.toContain("triggers");
    expect((await finance.get("/flows/retail.loop/a/revisions")).body.items).toHaveLength(1);
    expect((await finance.get("/flows/retail.loop/a/dependencies?direction=up")).body.edges).toEqual([]);
    expect(await auditCount()).toBe(before);

    const report = await finance.post("/flows/validate", closing);
    expect(report.body.problems).toEqual([expect.objectContaining({ kind: "cycle", message: refused.body.detail })]);

    // A subflow call closes a cycle as well, and so does a flow listening to itself.
    const viaSubflow = `id: a\nnamespace: retail.loop\ntasks:\n  - id: p\n    type: core.parallel\n    tasks:\n      - { id: call, type: core.subflow, namespace: retail.loop, flowId: c }\n`;
    expect((await finance.put("/flows/retail.loop/a", viaSubflow)).status).toBe(422);
    const self = await put("s", triggerOn(["retail.loop", "s"]));
    expect(self.status).toBe(422);
    expect(self.body.detail).toContain("retail.loop/s → retail.loop/s");
  });

  it("never lets two concurrent PUTs close a cycle together", async () => {
    await finance.put("/flows/retail.loop/x", flowYaml("retail.loop", "x"));
    await finance.put("/flows/retail.loop/y", flowYaml("retail.loop", "y"));
    const [px, py] = await Promise.all([
      finance.put("/flows/retail.loop/x", flowYaml("retail.loop", "x", triggerOn(["retail.loop", "y"]))),
      finance.put("/flows/retail.loop/y", flowYaml("retail.loop", "y", triggerOn(["retail.loop", "x"]))),
    ]);
    expect([px.status, py.status].sort()).toEqual([200, 422]);
  });

  it("refuses malformed YAML, unknown types and fields, and invalid cron with 400, line and column, writing nothing", async () => {
    const before = await auditCount();
    const broken = await finance.put("/flows/retail.finance/bad", "id: bad\nnamespace: retail.finance\ntasks:\n  - id: x\n    type: [core.log\n");
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0]).toMatchObject({ kind: "syntax", line: expect.any(Number), column: expect.any(Number) });
    expect(broken.body.detail).toMatch(/not valid YAML: line \d+, column \d+/);

    const unknownType = await finance.put("/flows/retail.finance/bad", "id: bad\nnamespace: retail.finance\ntasks:\n  - id: x\n    type: sql.querry\n");
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.errors[0]).toMatchObject({ kind: "schema", pointer: "/tasks/0/type", line: 5, column: 11 });
    expect(unknownType.body.errors[0].message).toContain("known types: sql.query, core.log, core.parallel, core.foreach, core.subflow, http.request, notify.email");

    const unknownField = await finance.put("/flows/retail.finance/bad", "id: bad\nnamespace: retail.finance\ntasks:\n  - id: x\n    type: sql.query\n    sql: SELECT 1\n    destinationTabel: a.b\n");
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0]).toMatchObject({ pointer: "/tasks/0/destinationTabel", line: 7, column: 5 });

    const cron = await finance.put("/flows/retail.finance/bad", flowYaml("retail.finance", "bad", 'triggers:\n  - { id: t, type: schedule, cron: "61 * * * *", timezone: Europe/Paris }\n'));
    expect(cron.status).toBe(400);
    expect(cron.body.errors[0]).toMatchObject({ pointer: "/triggers/0/cron", line: 8 });
    expect(cron.body.errors[0].message).toContain("invalid cron");
    const tz = await finance.put("/flows/retail.finance/bad", flowYaml("retail.finance", "bad", 'triggers:\n  - { id: t, type: schedule, cron: "0 3 * * *", timezone: Mars/Olympus }\n'));
    expect(tz.body.errors[0]).toMatchObject({ pointer: "/triggers/0/timezone" });

    const huge = await finance.put("/flows/retail.finance/bad", flowYaml("retail.finance", "bad", `description: ${"x".repeat(2 * 1024 * 1024)}\n`));
    expect(huge.status).toBe(413);

    expect((await finance.get("/flows/retail.finance/bad?deleted=true")).status).toBe(404);
    expect(await auditCount()).toBe(before);

    const report = await finance.post("/flows/validate", "id: v\nnamespace: retail.finance\ntasks:\n  - id: x\n    type: core.log\n    message: m\n    colour: red\n");
    expect(report.body).toEqual({
      valid: false,
      problems: [{ kind: "schema", severity: "error", message: 'unknown field "colour" in /tasks/0', pointer: "/tasks/0/colour", line: 7, column: 5 }],
    });
    const syntax = await finance.post("/flows/validate", "id: v\nnamespace: retail.finance\nid: again\n");
    expect(syntax.body.problems).toEqual([{ kind: "syntax", severity: "error", message: "YAML syntax error: Map keys must be unique", line: 3, column: 1 }]);
  });
});
