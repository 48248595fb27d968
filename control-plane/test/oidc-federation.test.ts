/**
 * OIDC federation (SPEC §12): a service account trusts GitHub Actions' ID tokens through a
 * rule, and POST /auth/token exchanges such a token (RFC 8693) for the same access token an
 * API key gets. A real server on real PostgreSQL; the issuer is a FAKE of GitHub's on
 * loopback (@meshplane/test-kit's fake-github-oidc.ts) signing with keys generated for the run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { githubClaims, startFakeGithubOidc, type FakeGithubOidc } from "./support/fake-github-oidc.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { signHs256, unsigned } from "./support/tokens.ts";

const AUDIENCE = "https://meshplane.test";
const JWT = "urn:ietf:params:oauth:token-type:jwt";
const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

let github: FakeGithubOidc;
let untrusted: FakeGithubOidc;
let server: TestServer;
let admin: ApiClient;
let anon: ApiClient;
let salesRule: string;

const exchange = (subject_token: string, extra: Record<string, unknown> = {}) =>
  anon.post("/auth/token", { grant_type: GRANT, subject_token, subject_token_type: JWT, ...extra });

async function auditFor(requestId: string) {
  const r = await admin.get(`/audit?limit=50`);
  return (r.body.items as Array<Record<string, any>>).filter((e) => e["requestId"] === requestId);
}

beforeAll(async () => {
  [github, untrusted] = await Promise.all([startFakeGithubOidc(), startFakeGithubOidc()]);
  // Cooldown 0: a rotated key is fetched at once (the cooldown itself is covered in src/auth/oidc.test.ts).
  server = await startServer({ env: { MESHPLANE_OIDC_ISSUERS: `https://token.actions.githubusercontent.com,${github.issuer}`, MESHPLANE_OIDC_JWKS_COOLDOWN_SECONDS: "0" } });
  admin = new ApiClient(server.api, server.adminKey);
  anon = new ApiClient(server.api);
  await admin.post("/teams", { name: "sales" });
  await admin.post("/namespaces", { name: "retail.sales", ownerTeam: "sales" });
  await admin.post("/service-accounts", { name: "sales-ci", team: "sales" });
  await admin.post("/role-bindings", { namespace: "retail.sales", role: "developer", serviceAccount: "sales-ci" });
  const rule = await admin.post("/service-accounts/sales-ci/federations", {
    issuer: github.issuer,
    audience: AUDIENCE,
    claims: { repository: "acme/retail-sales", ref: "refs/heads/main" },
    description: "the sales repository's main branch",
  });
  expect(rule.status, JSON.stringify(rule.body)).toBe(201);
  salesRule = rule.body.id;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await github?.close();
  await untrusted?.close();
});

describe("federation rules (POST/GET/DELETE /service-accounts/{name}/federations)", () => {
  it("a rule is stored as sent, listed, and says whether its issuer is trusted", async () => {
    const list = await admin.get("/service-accounts/sales-ci/federations");
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: salesRule, serviceAccount: "sales-ci", issuer: github.issuer, audience: AUDIENCE, claims: { ref: "refs/heads/main", repository: "acme/retail-sales" }, issuerTrusted: true }),
    ]);
    expect((await admin.get(`/service-accounts/sales-ci/federations/${salesRule}`)).body.id).toBe(salesRule);
    const other = await admin.post("/service-accounts/sales-ci/federations", { issuer: "https://gitlab.example.com", audience: AUDIENCE, claims: { project_path: "acme/x" } });
    expect(other.status).toBe(201);
    expect(other.body.issuerTrusted).toBe(false);
    expect((await admin.delete(`/service-accounts/sales-ci/federations/${other.body.id}`)).status).toBe(204);
  });

  it("bad rules are refused with the field and the fix, and nothing is stored", async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ issuer: "http://ci.example.com", audience: AUDIENCE, claims: { repository: "a/b" } }, /\/issuer: .*https/],
      [{ issuer: "not a url", audience: AUDIENCE, claims: { repository: "a/b" } }, /\/issuer: .*not a URL/],
      [{ issuer: github.issuer, audience: AUDIENCE, claims: {} }, /at least one claim/],
      [{ issuer: github.issuer, audience: AUDIENCE, claims: { aud: "x" } }, /\/claims\/aud: .*own fields/],
      [{ issuer: github.issuer, audience: AUDIENCE, claims: { repository: "" } }, /\/claims\/repository: must not be empty/],
      [{ issuer: github.issuer, audience: "two words", claims: { repository: "a/b" } }, /\/audience: must not contain spaces/],
      [{ issuer: github.issuer, claims: { repository: "a/b" } }, /\/audience/],
    ];
    for (const [body, says] of cases) {
      const r = await admin.post("/service-accounts/sales-ci/federations", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.detail, JSON.stringify(body)).toMatch(says);
    }
    expect((await admin.get("/service-accounts/sales-ci/federations")).body.items).toHaveLength(1);
  });

  it("the same rule twice is a 409; an unknown account a 404; a non-admin a 403", async () => {
    const same = await admin.post("/service-accounts/sales-ci/federations", { issuer: github.issuer, audience: AUDIENCE, claims: { ref: "refs/heads/main", repository: "acme/retail-sales" } });
    expect(same.status).toBe(409);
    expect(same.body.detail).toMatch(/already has this federation rule/);
    expect((await admin.post("/service-accounts/nobody/federations", { issuer: github.issuer, audience: AUDIENCE, claims: { repository: "a/b" } })).status).toBe(404);
    const key = await admin.post("/service-accounts/sales-ci/keys", {});
    const sales = admin.as(key.body.key);
    expect((await sales.post("/service-accounts/sales-ci/federations", { issuer: github.issuer, audience: AUDIENCE, claims: { repository: "evil/x" } })).status).toBe(403);
    expect((await sales.get("/service-accounts/sales-ci/federations")).status).toBe(403);
    await admin.delete(`/service-accounts/sales-ci/keys/${key.body.id}`);
  });
});

describe("POST /auth/token: token exchange", () => {
  it("a GitHub ID token matching the rule becomes sales-ci's access token, audited without the token", async () => {
    const idToken = await github.sign();
    const r = await anon.call("POST", "/auth/token", { grant_type: GRANT, subject_token: idToken, subject_token_type: JWT }, { "x-request-id": "oidc-ok-1" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ token_type: "Bearer", issued_token_type: "urn:ietf:params:oauth:token-type:access_token", expires_in: 900 });
    const me = await anon.as(r.body.access_token).get("/whoami");
    expect(me.body).toMatchObject({ subject: "sales-ci", team: "sales" });
    // The access token works like a key's: sales-ci may write in retail.sales.
    const flow = await anon.as(r.body.access_token).put("/flows/retail.sales/hello", "id: hello\nnamespace: retail.sales\ntasks:\n  - { id: a, type: core.log, message: hi }\n");
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    const [event] = await auditFor("oidc-ok-1");
    expect(event).toMatchObject({
      subject: "sales-ci",
      action: "auth.token-exchange",
      after: { federation: salesRule, issuer: github.issuer, audience: AUDIENCE, subject: "repo:acme/retail-sales:ref:refs/heads/main" },
    });
    expect(JSON.stringify(event)).not.toContain(idToken.split(".")[2]);
    expect(server.logs()).not.toContain(idToken.split(".")[2]);
  });

  it("subject_token_type id_token is accepted too, and an ES256 token", async () => {
    expect((await exchange(await github.sign(), { subject_token_type: "urn:ietf:params:oauth:token-type:id_token" })).status).toBe(200);
    expect((await exchange(await github.sign({}, { alg: "ES256" }))).status).toBe(200);
  });

  it("a form-encoded exchange (how OAuth clients send it, RFC 8693 §2.1) is answered the same; a repeated field is a 400", async () => {
    const form = (fields: string[][]) =>
      fetch(`${server.api}/auth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
    const token = await github.sign();
    const ok = await form([["grant_type", GRANT], ["subject_token", token], ["subject_token_type", JWT]]);
    const body = (await ok.json()) as Record<string, any>;
    expect(ok.status, JSON.stringify(body)).toBe(200);
    expect((await anon.as(body["access_token"]).get("/whoami")).body).toMatchObject({ subject: "sales-ci" });
    const twice = await form([["grant_type", GRANT], ["subject_token", token], ["subject_token", token], ["subject_token_type", JWT]]);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as Record<string, any>)["detail"]).toMatch(/subject_token/);
    const openApi = (await anon.get("/openapi.json")).body;
    expect(Object.keys(openApi.paths["/api/v1/auth/token"].post.requestBody.content)).toEqual(["application/json", "application/x-www-form-urlencoded"]);
  });

  it("clock skew up to 60 s is allowed, not more", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await exchange(await github.sign({ exp: now - 20 }))).status).toBe(200);
    expect((await exchange(await github.sign({ nbf: now + 20 }))).status).toBe(200);
    const expired = await exchange(await github.sign({ exp: now - 120, iat: now - 600, nbf: now - 600 }));
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired at .*request a new ID token/);
    const early = await exchange(await github.sign({ nbf: now + 600 }));
    expect(early.status).toBe(401);
    expect(early.body.detail).toMatch(/not valid before/);
  });

  it("another repository, branch or audience: 401 echoing the token's claims, never the rule's", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [githubClaims("mallory/retail-sales"), "repository=mallory/retail-sales"],
      [githubClaims("acme/retail-sales", "refs/heads/feature"), "ref=refs/heads/feature"],
      [{ aud: "https://other.example" }, "audience https://other.example"],
    ];
    for (const [claims, says] of cases) {
      const requestId = `oidc-refused-${Math.random().toString(36).slice(2)}`;
      const r = await anon.call("POST", "/auth/token", { grant_type: GRANT, subject_token: await github.sign(claims), subject_token_type: JWT }, { "x-request-id": requestId });
      expect(r.status).toBe(401);
      expect(r.body.detail).toContain("no federation rule matches this token");
      expect(r.body.detail).toContain(says);
      expect(r.body.detail).toContain(requestId);
      // Nothing of the rule: not the expected repository when the caller's differs, not the audience.
      if (says.startsWith("repository")) expect(r.body.detail).not.toContain("acme/retail-sales");
      if (says.startsWith("audience")) expect(r.body.detail).not.toContain(AUDIENCE);
      const [event] = await auditFor(requestId);
      expect(event).toMatchObject({ action: "auth.token-exchange.refused", subjectKind: "oidc", after: { reason: "no-federation-match" } });
      // The admins see which claims differed, rule by rule.
      const differs = (event!["after"].rules as Array<{ federation: string; differs: string[] }>).find((x) => x.federation === salesRule)!.differs;
      expect(differs).toEqual([says.startsWith("repository") ? "repository" : says.startsWith("ref") ? "ref" : "aud"]);
    }
  });

  it("unsigned, HS256, a foreign key, another issuer, garbage: 401 with the reason, audited", async () => {
    const claims = { iss: github.issuer, aud: AUDIENCE, ...githubClaims(), exp: Math.floor(Date.now() / 1000) + 300 };
    const cases: Array<[string, RegExp]> = [
      [unsigned(claims), /unsigned \(alg: none\)/],
      [signHs256(claims, "some-secret-a-caller-chose-0123456789"), /signed with HS256; only RS256 and ES256/],
      [await github.sign({}, { foreignKey: true }), /signature does not verify/],
      [await untrusted.sign(), new RegExp(`issuer ${untrusted.issuer} is not trusted .*MESHPLANE_OIDC_ISSUERS`)],
      ["not.a-jwt", /not a JWT/],
    ];
    for (const [token, says] of cases) {
      const requestId = `oidc-bad-${Math.random().toString(36).slice(2)}`;
      const r = await anon.call("POST", "/auth/token", { grant_type: GRANT, subject_token: token, subject_token_type: JWT }, { "x-request-id": requestId });
      expect(r.status, token).toBe(401);
      expect(r.body.detail).toMatch(says);
      const [event] = await auditFor(requestId);
      expect(event).toMatchObject({ subject: "anonymous", action: "auth.token-exchange.refused" });
      expect(JSON.stringify(event)).not.toContain(token);
    }
  });

  it("a rotated key: the unknown kid makes the server fetch the keys again", async () => {
    const before = github.jwksFetches();
    await github.rotate();
    const r = await exchange(await github.sign());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(github.jwksFetches()).toBe(before + 1);
    // A kid nobody published: refused (after one more look at the keys).
    const unknown = await exchange(await github.sign({}, { kid: "no-such-kid" }));
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toMatch(/no key of .* has kid no-such-kid/);
  });

  it("a token matching several accounts needs service_account", async () => {
    await admin.post("/service-accounts", { name: "sales-reader", team: "sales" });
    const rule = await admin.post("/service-accounts/sales-reader/federations", { issuer: github.issuer, audience: AUDIENCE, claims: { repository: "acme/retail-sales" } });
    const token = await github.sign();
    const both = await anon.call("POST", "/auth/token", { grant_type: GRANT, subject_token: token, subject_token_type: JWT }, { "x-request-id": "oidc-several" });
    expect(both.status).toBe(400);
    expect((await auditFor("oidc-several"))[0]).toMatchObject({ action: "auth.token-exchange.refused", after: { reason: "several-accounts", serviceAccounts: ["sales-ci", "sales-reader"] } });
    expect(both.body.detail).toMatch(/several service accounts \(sales-ci, sales-reader\).*service_account/);
    expect(both.body.errors).toEqual([expect.objectContaining({ pointer: "/service_account" })]);
    const chosen = await exchange(token, { service_account: "sales-reader" });
    expect(chosen.status).toBe(200);
    expect((await anon.as(chosen.body.access_token).get("/whoami")).body.subject).toBe("sales-reader");
    const notThat = await exchange(await github.sign(githubClaims("acme/retail-sales", "refs/heads/dev")), { service_account: "sales-ci" });
    expect(notThat.status).toBe(401);
    expect(notThat.body.detail).toMatch(/no federation rule of service account sales-ci matches/);
    await admin.delete(`/service-accounts/sales-reader/federations/${rule.body.id}`);
  });

  it("deleting the rule revokes the access tokens exchanged through it", async () => {
    const extra = await admin.post("/service-accounts/sales-ci/federations", { issuer: github.issuer, audience: AUDIENCE, claims: { repository: "acme/retail-sales", environment: "prod" } });
    const r = await exchange(await github.sign({ environment: "prod" }));
    // Both of sales-ci's rules match; the first one by id is the one named in the token.
    expect(r.status).toBe(200);
    const client = anon.as(r.body.access_token);
    expect((await client.get("/whoami")).status).toBe(200);
    const used = (await admin.get("/audit?limit=5")).body.items.find((e: any) => e.action === "auth.token-exchange").after.federation as string;
    await admin.delete(`/service-accounts/sales-ci/federations/${used}`);
    const after = await client.get("/whoami");
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/federation rule .* no longer exists/);
    expect([salesRule, extra.body.id]).toContain(used);
  });

  it("a request that is neither shape is a 400 naming the fields", async () => {
    const r = await anon.post("/auth/token", { grant_type: GRANT, subject_token_type: JWT });
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/subject_token/);
    expect((await anon.post("/auth/token", { grant_type: "password", subject_token: "x", subject_token_type: JWT })).status).toBe(400);
  });
});
