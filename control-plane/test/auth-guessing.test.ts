/**
 * Guessing keys must not cost the database (issue 10, finding 7). What the database does
 * is read from PostgreSQL itself: the test database logs every statement
 * (`log_statement = all`), and each test counts the statements the server ran while it
 * sent its requests. A transaction holds at least one statement, so a bound on
 * statements bounds transactions too. The server is API-only (no executor or workers). Nothing else talks to this database meanwhile:
 * the test's own queries run outside the counted windows.
 *
 * Requests come from several loopback addresses (127.0.0.x all reach the server on
 * 127.0.0.1), so the per-address budget of one test does not leak into the next.
 */
import { randomBytes, createHash } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startExternalPostgres, type ExternalPostgres } from "./support/external-postgres.ts";
import { startServer, type TestServer } from "./support/server.ts";

const LIMIT = 30;
let pg: ExternalPostgres;
let url: string;
let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  pg = await startExternalPostgres();
  url = await pg.createDatabase("guessing");
  await pg.query(`ALTER DATABASE guessing SET log_statement = 'all'`);
  // API only: the executor's sweep and the workers' polling would add statements of their own.
  server = await startServer({ env: { MESHPLANE_DATABASE_URL: url, MESHPLANE_RATE_LIMIT_PER_MINUTE: String(LIMIT), MESHPLANE_WORKER_CONCURRENCY: "0" } });
  admin = new ApiClient(server.api, server.adminKey);
});
afterAll(async () => {
  await server?.stop();
  await pg?.stop();
});

const randomKey = () => `mp_${randomBytes(32).toString("base64url")}`;

/** The statements PostgreSQL ran while `work` ran (simple and extended protocol alike). */
async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = pg.log().length;
  await work();
  return pg.log().slice(before).match(/\bLOG: {2}(statement|execute [^:]*):/g)?.length ?? 0;
}

interface Reply {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** GET from a chosen local address: what another client machine looks like to the server. */
function getFrom(localAddress: string, path: string, token?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.api}${path}`, { localAddress, agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("guessing keys", () => {
  it("a wrong key sent again is answered from memory: one lookup, then none", async () => {
    const wrong = randomKey();
    let first: Reply | undefined;
    const once = await statementsDuring(async () => (first = await getFrom("127.0.0.1", "/whoami", wrong)));
    expect(first!.status).toBe(401);
    expect(first!.body).toMatchObject({ status: 401, detail: expect.stringContaining("unknown key") });
    // The measure works: the first time, the key was looked up.
    expect(once).toBeGreaterThanOrEqual(1);
    const again = await statementsDuring(async () => {
      for (let i = 0; i < 10; i++) expect((await getFrom("127.0.0.1", "/whoami", wrong)).status).toBe(401);
    });
    expect(again).toBe(0);
  });

  it("200 random keys from one address: at most the budget is looked up, the rest is refused 429 before any lookup; other addresses are not affected", async () => {
    const statuses: number[] = [];
    let refused: Reply | undefined;
    const statements = await statementsDuring(async () => {
      for (let i = 0; i < 200; i++) {
        const r = await getFrom("127.0.0.2", "/whoami", randomKey());
        statuses.push(r.status);
        if (r.status === 429) refused ??= r;
      }
    });
    // Before the fix: 200 lookups (one per key), every one of them reaching PostgreSQL.
    expect(statements).toBeLessThanOrEqual(LIMIT);
    expect(statuses.slice(0, LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(LIMIT).every((s) => s === 429)).toBe(true);
    expect(refused!.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(refused!.body).toMatchObject({
      status: 429,
      title: "Too many requests",
      detail: expect.stringContaining(`more than ${LIMIT} failed authentications in a minute from this address; check the API key or token`),
    });
    expect(refused!.body.requestId).toMatch(/.+/);
    expect(Number(refused!.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(refused!.headers["retry-after"])).toBeLessThanOrEqual(60);
    // A good key from the same address is refused too (its key cannot be told from a guess without a lookup)…
    expect((await getFrom("127.0.0.2", "/whoami", server.adminKey)).status).toBe(429);
    // …while another address keeps working.
    expect((await getFrom("127.0.0.1", "/whoami", server.adminKey)).status).toBe(200);
  });

  it("good requests never use an address's failure budget: a CI runner sending more than it from one address is served", async () => {
    const keys = [await makeServiceAccount(admin, "ci-busy-a", "busy"), await makeServiceAccount(admin, "ci-busy-b", "busy")];
    // A key created through the API works at once (the unknown-key memory is cleared on creation).
    for (const key of keys) {
      for (let i = 0; i < LIMIT - 1; i++) expect((await getFrom("127.0.0.3", "/whoami", key)).status).toBe(200);
    }
    // 2 × (LIMIT - 1) good answers from one address, and a failure there is still a 401, not a 429.
    expect((await getFrom("127.0.0.3", "/whoami", randomKey())).status).toBe(401);
  });

  it("a key that was unknown and then appears in the database (created by another replica) is accepted within seconds", async () => {
    const key = randomKey();
    expect((await getFrom("127.0.0.4", "/whoami", key)).status).toBe(401);
    const [account] = await pg.query<{ id: string }>(`SELECT id FROM service_accounts WHERE name = 'platform-admin'`, [], url);
    await pg.query(`INSERT INTO api_keys (id, service_account_id, hash, prefix) VALUES (gen_random_uuid(), $1, $2, $3)`, [account!.id, createHash("sha256").update(key).digest("hex"), key.slice(0, 7)], url);
    const started = Date.now();
    let status = 401;
    while (status === 401 && Date.now() - started < 15_000) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await getFrom("127.0.0.4", "/whoami", key)).status;
    }
    expect(status).toBe(200);
    // The unknown answer is remembered for 5 s (the same delay as for any key change on another replica).
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("an error under a sub-router is counted under its route template, not '/' (a 503 while the database is down)", async () => {
    pg.pause();
    try {
      const down = await admin.as(randomKey()).get("/namespaces/retail");
      expect(down.status).toBe(503);
    } finally {
      pg.resume();
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/meshplane_http_requests_total\{method="GET",route="\/api\/v1\/namespaces\/:name",status="503"\} 1/);
    expect(metrics).not.toMatch(/route="\/",status="503"/);
  });
});
