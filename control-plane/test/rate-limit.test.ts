/**
 * The per-key rate limit (issue 2, operations): a key and the access tokens exchanged
 * from it share one budget per minute; another key keeps its own; the 429 is a
 * problem+json saying what happened and when to retry; every answer carries the
 * remaining budget (RateLimit header, IETF draft 7).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

const LIMIT = 10;
let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startServer({ env: { MESHPLANE_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  admin = new ApiClient(server.api, server.adminKey);
});
afterAll(async () => {
  await server?.stop();
});

describe("rate limit per key", () => {
  it("counts a key and its tokens together, answers 429 past the budget, and leaves other keys alone", async () => {
    const key = await makeServiceAccount(admin, "ci-limited", "limited"); // 3 calls on the admin key
    const token = (await new ApiClient(server.api).post("/auth/token", { api_key: key })).body.access_token as string;
    expect(token).toMatch(/^ey/);
    const byKey = admin.as(key);
    const byToken = admin.as(token);

    const first = await byKey.get("/whoami");
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit")).toMatch(new RegExp(`^limit=${LIMIT}, remaining=${LIMIT - 1}, reset=\\d+$`));
    expect(first.headers.get("ratelimit-policy")).toBe(`${LIMIT};w=60`);
    for (let i = 2; i <= 6; i++) expect((await byKey.get("/whoami")).status).toBe(200);
    for (let i = 7; i <= LIMIT; i++) expect((await byToken.get("/whoami")).status).toBe(200);

    for (const client of [byKey, byToken]) {
      const refused = await client.get("/whoami");
      expect(refused.status).toBe(429);
      expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, title: "Too many requests", detail: expect.stringContaining(`more than ${LIMIT} requests in a minute for this key`) });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    }

    const other = await admin.get("/whoami");
    expect(other.status).toBe(200);
    expect(other.headers.get("ratelimit")).toMatch(new RegExp(`^limit=${LIMIT}, remaining=${LIMIT - 4}, `));
  });
});
