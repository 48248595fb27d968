/**
 * An API-only replica (MESHPLANE_WORKER_CONCURRENCY=0) beside a replica that runs
 * workers, on one external PostgreSQL 15: the API-only process accepts executions and
 * runs none of them; the other process runs them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { ApiClient } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { eventually } from "./support/processes.ts";
import { startServer, type TestServer } from "./support/server.ts";

let pg: ExternalPostgres;
let url: string;
let apiOnly: TestServer;
let withWorkers: TestServer | undefined;
const adminKey = `mp_${randomBytes(32).toString("base64url")}`;
const env = (workers: string) => ({
  MESHPLANE_DATABASE_URL: url,
  MESHPLANE_JWT_SECRET: "replicas-share-this-secret-0123456789abcdef",
  MESHPLANE_ADMIN_API_KEY: adminKey,
  MESHPLANE_WORKER_CONCURRENCY: workers,
});

beforeAll(async () => {
  pg = await startExternalPostgres();
  url = await pg.createDatabase("meshplane_api_only");
  apiOnly = await startServer({ env: env("0") });
});
afterAll(async () => {
  await Promise.all([apiOnly?.stop(), withWorkers?.stop()]);
  await pg?.stop();
});

describe("an API-only replica", () => {
  it("accepts executions and leaves them to a replica that runs workers", async () => {
    const admin = new ApiClient(apiOnly.api, adminKey);
    expect((await admin.post("/teams", { name: "sales" })).status).toBe(201);
    expect((await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" })).status).toBe(201);
    const source = "id: hello\nnamespace: retail.sales\ntasks:\n  - id: log\n    type: core.log\n    message: hello\n";
    expect((await admin.put("/flows/retail.sales/hello", source)).status).toBe(201);

    const created = await admin.post("/executions/retail.sales/hello", {});
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Two sweeps' worth of time: nothing in this process claims it.
    await new Promise((r) => setTimeout(r, 2_500));
    const waiting = await admin.get(`/executions/${created.body.id}`);
    expect(waiting.body.taskRuns.filter((t: { state: string }) => t.state !== "CREATED"), JSON.stringify(waiting.body)).toEqual([]);
    expect(waiting.body.endedAt).toBeUndefined();

    // Followed on this replica while the other one runs it: the stream reads the database.
    const follow = await fetch(`${apiOnly.api}/executions/${created.body.id}/follow`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(follow.status).toBe(200);
    const streamed = follow.text();
    withWorkers = await startServer({ env: env("4") });
    const ran = await eventually(async () => (await admin.get(`/executions/${created.body.id}`)).body.state === "SUCCESS", 30_000);
    expect(ran, JSON.stringify((await admin.get(`/executions/${created.body.id}`)).body)).toBe(true);
    const text = await streamed;
    expect(text).toContain('event: log\ndata: {"time"');
    expect(text).toContain('"message":"hello"');
    expect(text).toMatch(/event: end\ndata: \{"state":"SUCCESS"\}\n\n$/);
  });
});
