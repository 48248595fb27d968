/**
 * POST /flows/validate with `planned` (issue 13 item 2): what the caller's own plan
 * creates counts as existing, over HTTP on a real server. Planned namespaces govern
 * (owner included: cross-team needs a grant, the owner's team may write), planned
 * grants cover, planned flows raise no "not registered" warning; a field known only
 * after apply turns the verdict that depends on it into a warning; what is neither
 * registered nor planned keeps PUT's words; bad `planned` input is a 400 that changes
 * nothing; PUT itself ignores plans.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { flowYaml, triggerOn } from "./flows-fixtures.ts";

type Problem = { kind: string; severity: string; message: string };

describe("validate with planned objects", () => {
  let server: TestServer;
  let admin: ApiClient;
  let sales: ApiClient;

  const validate = async (client: ApiClient, source: string, planned?: unknown): Promise<{ valid: boolean; problems: Problem[] }> => {
    const r = await client.post("/flows/validate", planned === undefined ? source : { source, planned });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const errors = (r: { problems: Problem[] }) => r.problems.filter((p) => p.severity === "error").map((p) => p.message);
  const warnings = (r: { problems: Problem[] }) => r.problems.filter((p) => p.severity === "warning").map((p) => p.message);

  // Planned: namespaces pl_sales (team pl_sales) and pl_supply (team pl_supply); neither is registered.
  const namespaces = [
    { name: "pl_sales", ownerTeam: "pl_sales" },
    { name: "pl_supply", ownerTeam: "pl_supply" },
  ];
  const grant = { upstreamNamespace: "pl_sales", upstreamFlow: null, downstreamNamespace: "pl_supply", kinds: ["trigger"] };
  const replenish = flowYaml("pl_supply", "replenish", triggerOn(["pl_sales", "orders"]));

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    sales = admin.as(await makeServiceAccount(admin, "pl-sales-ci", "pl_sales"));
    expect((await admin.post("/teams", { name: "pl_supply" })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("keeps today's error without a plan, and counts planned namespaces, grants and flows as existing", async () => {
    expect(errors(await validate(admin, replenish))).toEqual([
      "namespace pl_supply does not exist; the platform team creates namespaces (POST /api/v1/namespaces)",
    ]);
    const all = await validate(admin, replenish, { namespaces, triggerGrants: [grant], flows: [{ namespace: "pl_sales", id: "orders" }] });
    expect(all).toEqual({ valid: true, problems: [] });
    // Without the planned flow, only the warning PUT lets through.
    const noFlow = await validate(admin, replenish, { namespaces, triggerGrants: [grant] });
    expect(noFlow.valid).toBe(true);
    expect(warnings(noFlow)).toEqual(["flow pl_sales/orders is not registered (yet); the trigger cannot fire until it is"]);
  });

  it("still refuses, in PUT's words, a grant that is neither registered nor planned, and a planned grant that does not cover", async () => {
    const expected = /^flow pl_supply\/replenish triggers on pl_sales\/orders, owned by team pl_sales, but no trigger grant lets pl_supply listen to pl_sales; a maintainer of pl_sales \(team pl_sales\) can create it: POST \/api\/v1\/trigger-grants/;
    const none = await validate(admin, replenish, { namespaces });
    expect(none.valid).toBe(false);
    expect(errors(none)).toEqual([expect.stringMatching(expected)]);
    for (const other of [{ ...grant, kinds: ["subflow"] }, { ...grant, upstreamFlow: "other" }, { ...grant, downstreamNamespace: "pl_sales" }]) {
      expect(errors(await validate(admin, replenish, { namespaces, triggerGrants: [other] }))).toEqual([expect.stringMatching(expected)]);
    }
    // An upstream namespace neither registered nor planned: PUT's reference error.
    expect(errors(await validate(admin, flowYaml("pl_supply", "x", triggerOn(["pl_nowhere", "f"])), { namespaces }))).toEqual([
      "flow pl_supply/x triggers on pl_nowhere/f, but namespace pl_nowhere does not exist (nor does any parent); check the name, or ask the platform team to create it",
    ]);
  });

  it("does not decide before apply what depends on a value known only after apply: a warning that says so", async () => {
    const later = /known only after apply, so this is not decided before apply; the apply checks it again\)$/;
    // A grant whose downstream namespace only apply knows could be the one.
    const maybe = await validate(admin, replenish, { namespaces, triggerGrants: [{ upstreamNamespace: "pl_sales", kinds: ["trigger"] }] });
    expect(maybe.valid).toBe(true);
    expect(warnings(maybe)).toContainEqual(expect.stringMatching(later));
    // But a grant that cannot match on its known fields still leaves the error.
    expect(errors(await validate(admin, replenish, { namespaces, triggerGrants: [{ upstreamNamespace: "pl_sales", kinds: ["subflow"] }] }))).toHaveLength(1);
    // A namespace whose name only apply knows: the missing namespace might be it.
    const unnamed = await validate(admin, replenish, { namespaces: [{ ownerTeam: "pl_supply" }] });
    expect(unnamed.valid).toBe(true);
    expect(warnings(unnamed)).toEqual([expect.stringMatching(/^namespace pl_supply does not exist; .*known only after apply/)]);
    // An owner only apply knows: same team or not is undecided.
    const owner = await validate(admin, replenish, { namespaces: [namespaces[0], { name: "pl_supply" }] });
    expect(owner.valid).toBe(true);
    expect(warnings(owner)).toContainEqual(expect.stringMatching(later));
  });

  it("lets a team write a namespace planned for it, and refuses another team's in PUT's 403 words", async () => {
    expect(await validate(sales, flowYaml("pl_sales", "orders"), { namespaces })).toEqual({ valid: true, problems: [] });
    const theirs = await validate(sales, flowYaml("pl_supply", "orders"), { namespaces });
    expect(errors(theirs)).toEqual([
      expect.stringMatching(/^pl-sales-ci \(team pl_sales\) lacks permission flow\.write \(.*\) on namespace pl_supply\. Roles that grant it: .*; a maintainer of pl_supply \(team pl_supply\) or a platform admin can bind one\.$/),
    ]);
    expect(theirs.problems[0]!.kind).toBe("permission");
  });

  it("refuses bad planned input with a 400 naming the field, and PUT ignores nothing of its rules", async () => {
    const bad: [unknown, string][] = [
      [{ namespaces: [{ name: "Bad Name" }] }, "/planned/namespaces/0/name"],
      [{ triggerGrants: [{ kinds: ["listen"] }] }, "/planned/triggerGrants/0/kinds/0"],
      [{ flows: [{ namespace: "pl_sales" }] }, "/planned/flows/0/id"],
      [{ tables: [] }, "/planned"],
    ];
    for (const [planned, pointer] of bad) {
      const r = await admin.post("/flows/validate", { source: replenish, planned });
      expect(r.status, JSON.stringify(planned)).toBe(400);
      expect(r.body.errors, JSON.stringify(r.body)).toEqual([expect.objectContaining({ pointer })]);
      expect(r.body.errors[0].message).not.toBe("Invalid input");
    }
    // The YAML text alone is still a body of its own.
    expect((await admin.post("/flows/validate", replenish)).status).toBe(200);
    // PUT takes no plan: the namespace must exist.
    expect((await admin.put("/flows/pl_sales/orders", flowYaml("pl_sales", "orders"))).status).toBe(404);
  });
});
