/**
 * Flows over HTTP on a real server and PostgreSQL: registration, revisions, If-Match,
 * unchanged source, soft delete and re-creation, dependents (409 and force), the
 * dependency graph, and the published JSON Schema.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { flowYaml, triggerOn } from "./flows-fixtures.ts";
import { startServer, type TestServer } from "./support/server.ts";

describe("flows", () => {
  let server: TestServer;
  let admin: ApiClient;
  let dev: ApiClient;
  let viewer: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "retail", ownerTeam: "sales" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
    dev = admin.as(await makeServiceAccount(admin, "ci-dev", "devs", [{ role: "developer", namespace: "retail.sales" }]));
    viewer = admin.as(await makeServiceAccount(admin, "ci-viewer", "devs", [{ role: "viewer", namespace: "retail.sales" }]));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("creates (201), reads, updates (200, new revision) and keeps an unchanged source's revision", async () => {
    const created = await dev.put("/flows/retail.sales/orders", flowYaml("retail.sales", "orders", "description: Orders\nlabels: { owner: sales }\n"));
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    expect(created.body).toMatchObject({ namespace: "retail.sales", id: "orders", revision: 1, labels: { owner: "sales" }, description: "Orders", disabled: false });
    expect(created.body.deleted).toBeUndefined();

    const got = await viewer.get("/flows/retail.sales/orders");
    expect(got.status).toBe(200);
    expect(got.body.source).toBe(created.body.source);

    const same = await dev.put("/flows/retail.sales/orders", created.body.source);
    expect(same.status).toBe(200);
    expect(same.body.revision).toBe(1);

    const updated = await dev.put("/flows/retail.sales/orders", { source: flowYaml("retail.sales", "orders", "disabled: true\n") });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ revision: 2, disabled: true, labels: {}, description: "" });

    const old = await viewer.get("/flows/retail.sales/orders?revision=1");
    expect(old.body).toMatchObject({ revision: 1, description: "Orders", labels: { owner: "sales" } });
    const revisions = await viewer.get("/flows/retail.sales/orders/revisions");
    expect(revisions.body.items.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(revisions.body.items[0]).toMatchObject({ deleted: false, createdBy: "ci-dev" });
    const r2 = await viewer.get("/flows/retail.sales/orders/revisions/2");
    expect(r2.body).toMatchObject({ revision: 2, disabled: true, createdBy: "ci-dev" });
    expect((await viewer.get("/flows/retail.sales/orders/revisions/9")).status).toBe(404);

    const audit = await admin.get("/audit?resourceType=flow&resourceId=retail.sales/orders");
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(["flow.update", "flow.create"]);
    expect(audit.body.items[0].before).toMatchObject({ revision: 1 });
    expect(audit.body.items[0].after).toMatchObject({ revision: 2 });
  });

  it("refuses a viewer's PUT with 403 naming flow.write, and a path/YAML mismatch with 400", async () => {
    const denied = await viewer.put("/flows/retail.sales/x", flowYaml("retail.sales", "x"));
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain("flow.write");
    const mismatch = await dev.put("/flows/retail.sales/x", flowYaml("retail.sales", "y"));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0]).toMatchObject({ pointer: "/id", line: 1, column: 5 });
    expect(mismatch.body.detail).toContain("id is y in the YAML but x in the URL");
  });

  it("honours If-Match: the current revision succeeds, a stale one is 409 and writes nothing", async () => {
    await dev.put("/flows/retail.sales/im", flowYaml("retail.sales", "im"));
    const ok = await dev.put("/flows/retail.sales/im", flowYaml("retail.sales", "im", "", "v2"), { "if-match": '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.body.revision).toBe(2);
    const stale = await dev.put("/flows/retail.sales/im", flowYaml("retail.sales", "im", "", "v3"), { "if-match": "1" });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain("is at revision 2, not 1");
    expect((await dev.get("/flows/retail.sales/im")).body.revision).toBe(2);
    const missing = await dev.put("/flows/retail.sales/nope", flowYaml("retail.sales", "nope"), { "if-match": "*" });
    expect(missing.status).toBe(409);
    expect((await dev.get("/flows/retail.sales/nope")).status).toBe(404);
    expect((await dev.put("/flows/retail.sales/im", flowYaml("retail.sales", "im"), { "if-match": "abc" })).status).toBe(400);
  });

  it("honours If-None-Match: * (create only): 201 once, then 409 naming the revision and the import, writing nothing; a deleted flow may be re-created", async () => {
    const only = { "if-none-match": "*" };
    expect((await dev.put("/flows/retail.sales/inm", flowYaml("retail.sales", "inm"), only)).status).toBe(201);
    for (const source of [flowYaml("retail.sales", "inm"), flowYaml("retail.sales", "inm", "", "other")]) {
      const again = await dev.put("/flows/retail.sales/inm", source, only);
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain("already exists (revision 1)");
      expect(again.body.detail).toContain("import it");
    }
    expect((await dev.get("/flows/retail.sales/inm")).body).toMatchObject({ revision: 1, source: flowYaml("retail.sales", "inm") });
    expect((await dev.delete("/flows/retail.sales/inm")).status).toBe(204);
    const revived = await dev.put("/flows/retail.sales/inm", flowYaml("retail.sales", "inm", "", "v2"), only);
    expect(revived.status).toBe(201);
    expect(revived.body.revision).toBe(3);
    // Racing creates with the precondition: exactly one wins.
    const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => dev.put("/flows/retail.sales/inm-race", flowYaml("retail.sales", "inm-race", "", `w${i}`), only)));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    // Malformed or contradictory preconditions are 400 and change nothing.
    const bad = await dev.put("/flows/retail.sales/inm2", flowYaml("retail.sales", "inm2"), { "if-none-match": '"3"' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("If-None-Match on a PUT must be *");
    const both = await dev.put("/flows/retail.sales/inm2", flowYaml("retail.sales", "inm2"), { "if-none-match": "*", "if-match": "1" });
    expect(both.status).toBe(400);
    expect((await dev.get("/flows/retail.sales/inm2")).status).toBe(404);
  });

  it("lets exactly one of 20 simultaneous PUTs with the same If-Match win; the rest get 409", async () => {
    await dev.put("/flows/retail.sales/race", flowYaml("retail.sales", "race"));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => dev.put("/flows/retail.sales/race", flowYaml("retail.sales", "race", "", `writer-${i}`), { "if-match": "1" })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const revisions = await dev.get("/flows/retail.sales/race/revisions");
    expect(revisions.body.items.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
  });

  it("lets 20 simultaneous first PUTs of one new flow create it once", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => dev.put("/flows/retail.sales/burst", flowYaml("retail.sales", "burst"))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    expect(answers.every((a) => a.body.revision === 1)).toBe(true);
  });

  it("keeps derived edges in step with the winning source when writers race (with and without edges)", async () => {
    await dev.put("/flows/retail.sales/racer_up", flowYaml("retail.sales", "racer_up"));
    const mismatches: string[] = [];
    for (let round = 0; round < Number(process.env.RACE_ROUNDS ?? 25); round++) {
      const withEdge = flowYaml("retail.sales", "racer", triggerOn(["retail.sales", "racer_up"]), `edge-${round}`);
      const without = flowYaml("retail.sales", "racer", "", `plain-${round}`);
      const writes = round % 2 ? [withEdge, without, withEdge, without] : [without, withEdge, without, withEdge];
      await Promise.all(writes.map((w) => dev.put("/flows/retail.sales/racer", w)));
      const final = await dev.get("/flows/retail.sales/racer");
      const edges = (await dev.get("/flows/retail.sales/racer/dependencies?direction=up")).body.edges;
      const expected = final.body.source.includes("triggers:") ? 1 : 0;
      if (edges.length !== expected) mismatches.push(`round ${round}: source has ${expected} edge(s), graph has ${edges.length}`);
    }
    expect(mismatches).toEqual([]);
    // And a racing delete never leaves a deleted flow's edges behind.
    for (let round = 0; round < 10; round++) {
      await dev.put("/flows/retail.sales/racer2", flowYaml("retail.sales", "racer2", "", `r-${round}`));
      await Promise.all([
        dev.put("/flows/retail.sales/racer2", flowYaml("retail.sales", "racer2", triggerOn(["retail.sales", "racer_up"]), `e-${round}`)),
        dev.delete("/flows/retail.sales/racer2"),
      ]);
      const down = (await dev.get("/flows/retail.sales/racer_up/dependencies?direction=down")).body.nodes.map((n: { id: string }) => n.id);
      const live = (await dev.get("/flows/retail.sales/racer2")).status === 200;
      if (down.includes("racer2") !== live) mismatches.push(`delete round ${round}: live=${live}, edge kept=${down.includes("racer2")}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("soft-deletes (404 after, history kept) and continues revision numbers on re-creation", async () => {
    await dev.put("/flows/retail.sales/gone", flowYaml("retail.sales", "gone"));
    await dev.put("/flows/retail.sales/gone", flowYaml("retail.sales", "gone", "", "v2"));
    expect((await dev.delete("/flows/retail.sales/gone")).status).toBe(204);
    expect((await dev.get("/flows/retail.sales/gone")).status).toBe(404);
    expect((await dev.delete("/flows/retail.sales/gone")).status).toBe(404);
    const tomb = await dev.get("/flows/retail.sales/gone?deleted=true");
    expect(tomb.body).toMatchObject({ revision: 3, deleted: true });
    const list = await dev.get("/flows/retail.sales?limit=500");
    expect(list.body.items.map((f: { id: string }) => f.id)).not.toContain("gone");

    const again = await dev.put("/flows/retail.sales/gone", flowYaml("retail.sales", "gone"));
    expect(again.status).toBe(201);
    expect(again.body.revision).toBe(4);
    const revisions = await dev.get("/flows/retail.sales/gone/revisions");
    expect(revisions.body.items.map((r: { revision: number; deleted: boolean }) => [r.revision, r.deleted])).toEqual([
      [1, false], [2, false], [3, true], [4, false],
    ]);
    const actions = (await admin.get("/audit?resourceType=flow&resourceId=retail.sales/gone")).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(["flow.create", "flow.delete", "flow.update", "flow.create"]);
  });

  it("refuses to delete a flow others depend on (409 listing them) unless forced by a maintainer", async () => {
    await dev.put("/flows/retail.sales/base", flowYaml("retail.sales", "base"));
    await dev.put("/flows/retail.sales/user1", flowYaml("retail.sales", "user1", triggerOn(["retail.sales", "base"])));
    await dev.put(
      "/flows/retail.sales/user2",
      `id: user2\nnamespace: retail.sales\ntasks:\n  - id: p\n    type: core.parallel\n    tasks:\n      - { id: call, type: core.subflow, namespace: retail.sales, flowId: base }\n`,
    );
    const refused = await dev.delete("/flows/retail.sales/base");
    expect(refused.status).toBe(409);
    expect(refused.body.dependents).toEqual([
      { namespace: "retail.sales", id: "user1", kind: "trigger" },
      { namespace: "retail.sales", id: "user2", kind: "subflow" },
    ]);
    expect(refused.body.detail).toContain("retail.sales/user1 (triggers on it), retail.sales/user2 (calls it)");
    const devForce = await dev.delete("/flows/retail.sales/base?force=true");
    expect(devForce.status).toBe(403);
    expect(devForce.body.detail).toContain("access.manage");
    expect((await dev.get("/flows/retail.sales/base")).status).toBe(200);
    expect((await admin.delete("/flows/retail.sales/base?force=true")).status).toBe(204);
    expect((await dev.get("/flows/retail.sales/base")).status).toBe(404);
    const audit = await admin.get("/audit?resourceType=flow&resourceId=retail.sales/base");
    expect(audit.body.items[0]).toMatchObject({ action: "flow.delete", after: { forced: true } });
  });

  it("paginates a namespace's flows with a keyset cursor, and its subtree on request", async () => {
    await admin.post("/namespaces", { name: "retail.pages", ownerTeam: "sales" });
    for (let i = 0; i < 7; i++) expect((await admin.put(`/flows/retail.pages/f${i}`, flowYaml("retail.pages", `f${i}`))).status).toBe(201);
    await admin.put("/flows/retail.pages.child/c", flowYaml("retail.pages.child", "c"));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await admin.get(`/flows/retail.pages?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.items.map((f) => f.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["f0", "f1", "f2", "f3", "f4", "f5", "f6"]);
    const subtree = await admin.get("/flows/retail.pages?subtree=true&limit=100");
    expect(subtree.body.items.map((f: { namespace: string; id: string }) => `${f.namespace}/${f.id}`)).toContain("retail.pages.child/c");
    expect((await admin.get("/flows/retail.pages?cursor=%%%")).status).toBe(400);
    // List items are built by PostgreSQL: they must be exactly what GET answers for each flow,
    // awkward characters and labels included.
    const tricky = [
      "id: tricky",
      "namespace: retail.pages",
      'description: "quotes \\" and \\\\ and é ✓ and a tab\\tin it"',
      "labels: { owner: sales, tier: gold }",
      "tasks:",
      "  - id: log",
      "    type: core.log",
      "    message: \"line one\\nline two \u2028 </script>\"",
      "",
    ].join("\n");
    expect((await admin.put("/flows/retail.pages/tricky", tricky)).status).toBe(201);
    const listed = (await admin.get("/flows/retail.pages?limit=100")).body.items;
    for (const item of listed) expect(item).toEqual((await admin.get(`/flows/retail.pages/${item.id}`)).body);
    expect(listed.find((f: { id: string }) => f.id === "tricky")).toMatchObject({ labels: { owner: "sales", tier: "gold" } });
    expect((await admin.delete("/flows/retail.pages/tricky")).status).toBe(204);
    // Walking the subtree in pages of 2 crosses into the child namespace and back out.
    const walked: string[] = [];
    for (let c: string | null = null, first = true; first || c; first = false) {
      const page: { body: { items: { namespace: string; id: string }[]; nextCursor: string | null } } = await admin.get(`/flows/retail.pages?subtree=true&limit=2${c ? `&cursor=${c}` : ""}`);
      walked.push(...page.body.items.map((f) => `${f.namespace}/${f.id}`));
      c = page.body.nextCursor;
    }
    expect(walked).toEqual([...["f0", "f1", "f2", "f3", "f4", "f5", "f6"].map((f) => `retail.pages/${f}`), "retail.pages.child/c"]);
    // A cursor belongs to its list: one from the subtree walk is refused by a plain list of the child.
    const subtreePage = await admin.get("/flows/retail.pages?subtree=true&limit=7");
    const foreign = await admin.get(`/flows/retail.pages.child?cursor=${subtreePage.body.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.detail).toMatch(/cursor is not valid for this list/);
  });

  it("answers the dependency graph up and down, direct and recursive, safe on cycles in stored data", async () => {
    await admin.post("/namespaces", { name: "retail.graph", ownerTeam: "sales" });
    const put = (id: string, ...ups: string[]) =>
      admin.put(`/flows/retail.graph/${id}`, flowYaml("retail.graph", id, ups.length ? triggerOn(...ups.map((u) => ["retail.graph", u] as [string, string])) : ""));
    expect((await put("a")).status).toBe(201);
    expect((await put("b", "a")).status).toBe(201);
    expect((await put("c", "b", "a")).status).toBe(201);
    expect((await put("d", "c", "ghost")).status).toBe(201);

    const upDirect = await admin.get("/flows/retail.graph/d/dependencies?direction=up");
    expect(upDirect.body.nodes).toEqual([
      { namespace: "retail.graph", id: "c", registered: true },
      { namespace: "retail.graph", id: "d", registered: true },
      { namespace: "retail.graph", id: "ghost", registered: false },
    ]);
    expect(upDirect.body.edges).toHaveLength(2);
    const upAll = await admin.get("/flows/retail.graph/d/dependencies?direction=up&recursive=true");
    expect(upAll.body.nodes.map((n: { id: string }) => n.id)).toEqual(["a", "b", "c", "d", "ghost"]);
    expect(upAll.body.edges).toContainEqual({ from: { namespace: "retail.graph", id: "a" }, to: { namespace: "retail.graph", id: "b" }, kind: "trigger" });
    expect(upAll.body.edges).toHaveLength(5);
    const downAll = await admin.get("/flows/retail.graph/a/dependencies?direction=down&recursive=true");
    expect(downAll.body.nodes.map((n: { id: string }) => n.id)).toEqual(["a", "b", "c", "d"]);
    const downDirect = await admin.get("/flows/retail.graph/a/dependencies?direction=down");
    expect(downDirect.body.nodes.map((n: { id: string }) => n.id)).toEqual(["a", "b", "c"]);
    expect((await admin.get("/flows/retail.graph/zzz/dependencies")).status).toBe(404);
  });

  it("publishes the flow JSON Schema: strict objects, every task type", async () => {
    const res = await fetch(`${server.api}/schemas/flow.json`);
    expect(res.status).toBe(200);
    const schema = (await res.json()) as { $defs: Record<string, { additionalProperties?: boolean; properties?: Record<string, { const?: string }> }> };
    const types = Object.values(schema.$defs).map((d) => d.properties?.["type"]?.const).filter(Boolean);
    expect(types.sort()).toEqual(["core.foreach", "core.log", "core.parallel", "core.subflow", "flow", "http.request", "notify.email", "schedule", "sql.query"]);
    expect(schema.$defs["Flow"]!.additionalProperties).toBe(false);
    expect(schema.$defs["SqlQueryTask"]!.additionalProperties).toBe(false);
  });
});
