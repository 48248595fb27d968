/**
 * Write ownership (issue 10, finding 4), over HTTP on a real server: a flow writes only
 * into datasets of its own namespace (or of namespaces under it) and into datasets no
 * namespace has claimed with a table contract. PUT refuses with 403, /flows/validate
 * reports the same words (kind permission, so `terraform plan` shows it), and the first
 * contract of a dataset is refused (409) while other namespaces' flows write into it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

const contract = { schema: { fields: [{ name: "id", type: "STRING", mode: "REQUIRED" }] }, feedType: "WRITE_TRUNCATE" };

/** A flow with one sql.query task; `destination` adds destinationTable and WRITE_TRUNCATE. */
function writingFlow(namespace: string, id: string, sql: string, destination?: string): string {
  const into = destination ? `    destinationTable: ${destination}\n    writeDisposition: WRITE_TRUNCATE\n` : "";
  return `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: load\n    type: sql.query\n    sql: ${sql}\n${into}`;
}

const foreignWrite = (flow: string, table: string, owner: string, team: string, own: string) =>
  `flow ${flow} writes into ${table}, but dataset ${table.split(".")[0]} belongs to namespace ${owner} (team ${team}), which registers table contracts in it; ` +
  `a flow may write only into datasets of its own namespace (or of namespaces under it) and into datasets no namespace has claimed. ` +
  `Write into a dataset of ${own}, or register the flow in ${owner}: a maintainer of ${owner} (team ${team}) can bind you a role that writes flows there`;

describe("a flow writes only into datasets its namespace owns", () => {
  let server: TestServer;
  let admin: ApiClient;
  let supply: ApiClient;
  let finance: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    admin = new ApiClient(server.api, server.adminKey);
    for (const team of ["platform-data", "supply", "finance"]) await admin.post("/teams", { name: team });
    await admin.post("/namespaces", { name: "retail", ownerTeam: "platform-data" });
    await admin.post("/namespaces", { name: "retail.supply", ownerTeam: "supply" });
    await admin.post("/namespaces", { name: "retail.supply.ops", ownerTeam: "supply" });
    await admin.post("/namespaces", { name: "retail.finance", ownerTeam: "finance" });
    supply = admin.as(await makeServiceAccount(admin, "ci-supply", "supply"));
    finance = admin.as(await makeServiceAccount(admin, "ci-finance", "finance"));
    expect((await finance.put("/tables/retail.finance/retail_finance.ledger", contract)).status).toBe(201);
    expect((await supply.put("/tables/retail.supply/retail_supply.stock", contract)).status).toBe(201);
    expect((await supply.put("/tables/retail.supply.ops/supply_ops.moves", contract)).status).toBe(201);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("refuses the issue's flow (WRITE_TRUNCATE into retail.finance's ledger) with 403 naming the owner, and validate says the same", async () => {
    const source = writingFlow("retail.supply", "overwrite", "SELECT id FROM retail_supply.stock", "retail_finance.ledger");
    const message = foreignWrite("retail.supply/overwrite", "retail_finance.ledger", "retail.finance", "finance", "retail.supply");
    const refused = await supply.put("/flows/retail.supply/overwrite", source);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.detail).toBe(message);
    expect(refused.body.errors).toEqual([{ kind: "permission", pointer: "/tasks/0/destinationTable", message, line: 7, column: 23 }]);
    expect((await supply.get("/flows/retail.supply/overwrite")).status).toBe(404);

    const report = await supply.post("/flows/validate", source);
    expect(report.status).toBe(200);
    expect(report.body).toEqual({ valid: false, problems: [{ kind: "permission", severity: "error", message, pointer: "/tasks/0/destinationTable", line: 7, column: 23 }] });

    // A project-qualified name is the same dataset.
    const qualified = await supply.put("/flows/retail.supply/overwrite", writingFlow("retail.supply", "overwrite", "SELECT 1", "acme-prod.retail_finance.ledger"));
    expect(qualified.status).toBe(403);
  });

  it("refuses DML in the SQL too (INSERT INTO, MERGE), pointing at the sql", async () => {
    const insert = writingFlow("retail.supply", "sneaky", "INSERT INTO `acme.retail_finance.ledger` (id) SELECT id FROM retail_supply.stock");
    const refused = await supply.put("/flows/retail.supply/sneaky", insert);
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([expect.objectContaining({ kind: "permission", pointer: "/tasks/0/sql", message: foreignWrite("retail.supply/sneaky", "retail_finance.ledger", "retail.finance", "finance", "retail.supply") })]);
    const merge = writingFlow("retail.supply", "sneaky", "MERGE retail_finance.other t USING retail_supply.stock s ON t.id = s.id WHEN MATCHED THEN DELETE");
    expect((await supply.post("/flows/validate", merge)).body.problems).toEqual([expect.objectContaining({ kind: "permission", pointer: "/tasks/0/sql" })]);
    // Reading another team's table is no write.
    expect((await supply.put("/flows/retail.supply/reader", writingFlow("retail.supply", "reader", "SELECT id FROM retail_finance.ledger", "retail_supply.stock"))).status).toBe(201);
  });

  it("accepts writing into its own namespace's dataset, and into datasets of namespaces under it", async () => {
    const own = writingFlow("retail.supply", "restock", "SELECT 1 AS id", "retail_supply.stock");
    expect((await supply.post("/flows/validate", own)).body).toEqual({ valid: true, problems: [] });
    expect((await supply.put("/flows/retail.supply/restock", own)).status).toBe(201);
    // A new table of an owned dataset is owned too; a child namespace's dataset is the parent's to write.
    expect((await supply.put("/flows/retail.supply/new_table", writingFlow("retail.supply", "new_table", "SELECT 1 AS id", "retail_supply.brand_new"))).status).toBe(201);
    expect((await supply.put("/flows/retail.supply/moves", writingFlow("retail.supply", "moves", "SELECT 1 AS id", "supply_ops.moves"))).status).toBe(201);
  });

  it("refuses a child namespace writing its parent's dataset, even of the same team (a binding on the child must not reach the parent's data)", async () => {
    const source = writingFlow("retail.supply.ops", "up", "SELECT 1 AS id", "retail_supply.stock");
    const refused = await supply.put("/flows/retail.supply.ops/up", source);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(foreignWrite("retail.supply.ops/up", "retail_supply.stock", "retail.supply", "supply", "retail.supply.ops"));
  });

  it("accepts writing into a dataset no namespace has claimed", async () => {
    const landing = writingFlow("retail.supply", "land", "SELECT 1 AS id", "landing_zone.raw_stock");
    expect((await supply.post("/flows/validate", landing)).body).toEqual({ valid: true, problems: [] });
    expect((await supply.put("/flows/retail.supply/land", landing)).status).toBe(201);
  });

  it("refuses the first contract of a dataset other namespaces' flows write into (409 naming them), and check says so too", async () => {
    expect((await supply.put("/flows/retail.supply/scratch", writingFlow("retail.supply", "scratch", "SELECT 1 AS id", "shared_scratch.t"))).status).toBe(201);
    const claim = await finance.put("/tables/retail.finance/shared_scratch.mine", contract);
    expect(claim.status).toBe(409);
    expect(claim.body.detail).toBe(
      "dataset shared_scratch is written by flow retail.supply/scratch of other namespaces; registering shared_scratch.mine would make the dataset namespace retail.finance's, " +
        "and a flow may write only into datasets of its own namespace (or of namespaces under it). Change that flow to write elsewhere first, or register the table in another dataset",
    );
    expect(claim.body.writers).toEqual([{ namespace: "retail.supply", id: "scratch" }]);
    expect((await finance.get("/tables/retail.finance/shared_scratch.mine")).status).toBe(404);
    const check = await finance.post("/tables/retail.finance/shared_scratch.mine/check", contract);
    expect(check.body).toMatchObject({ accepted: false, problems: [{ kind: "dataset-writers", message: claim.body.detail }] });

    // The writing namespace itself may claim it; once the flow stops writing there, anyone may.
    expect((await supply.post("/tables/retail.supply/shared_scratch.t/check", contract)).body.accepted).toBe(true);
    expect((await supply.delete("/flows/retail.supply/scratch")).status).toBe(204);
    expect((await finance.put("/tables/retail.finance/shared_scratch.mine", contract)).status).toBe(201);
  });
});
