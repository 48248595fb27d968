/**
 * Authentication against a real `meshplane serve` (embedded PostgreSQL): API keys, the
 * POST /auth/token exchange, and the JWT attacks of SPEC §8 — every forged, expired,
 * mis-addressed or tampered token is a 401 problem+json that never echoes the token.
 * Also: revoked, expired and unknown keys (and their tokens) are refused, and keys
 * never show up again after creation — not in GET answers, the audit log, nor the
 * server's own logs (its stderr, captured at log level debug).
 */
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, makeServiceAccount } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";
import { decodeHeader, decodePayload, exchange, rsaKeyPair, serverJwtSecret, signHs256, signRs256, unsigned, encodeJson, type Claims } from "./support/tokens.ts";

let server: TestServer;
let admin: ApiClient;
let anon: ApiClient;
let secret: string;
/** Every secret this file saw: none may appear in the server's logs. */
const secrets: string[] = [];

beforeAll(async () => {
  server = await startServer({ env: { MESHPLANE_LOG_LEVEL: "debug" } });
  admin = new ApiClient(server.api, server.adminKey);
  anon = new ApiClient(server.api);
  secret = serverJwtSecret(server.dataDir);
  secrets.push(server.adminKey, secret);
});
afterAll(async () => {
  await server?.stop();
});

async function newAccount(name: string, expiresAt?: string) {
  const key = await makeServiceAccount(admin, name, "auth-team", []);
  secrets.push(key);
  let expiring: { id: string; key: string } | undefined;
  if (expiresAt) {
    const r = await admin.post(`/service-accounts/${name}/keys`, { expiresAt });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    secrets.push(r.body.key);
    expiring = { id: r.body.id, key: r.body.key };
  }
  return { key, expiring };
}

/** The 401 shape every refusal must have; `token` must not be echoed anywhere. */
async function expectRefused(token: string, path = "/whoami") {
  const res = await fetch(`${server.api}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  expect(res.status, `${path} with ${token.slice(0, 40)}…: ${text}`).toBe(401);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = JSON.parse(text);
  expect(body).toMatchObject({ type: "urn:meshplane:problem:unauthenticated", status: 401, title: expect.any(String), detail: expect.any(String) });
  expect(text).not.toContain(token);
  for (const part of token.split(".").filter((p) => p.length >= 16)) expect(text).not.toContain(part);
  return body as { detail: string };
}

describe("API key → access token exchange", () => {
  it("issues a short-lived HS256 JWT for a valid key, and the token works", async () => {
    const res = await anon.post("/auth/token", { api_key: server.adminKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 900 });
    const token = res.body.access_token as string;
    secrets.push(token);
    expect(decodeHeader(token)).toMatchObject({ alg: "HS256" });
    const claims = decodePayload(token);
    expect(claims).toMatchObject({ iss: "meshplane", aud: "meshplane-api", sub: expect.any(String), kid: expect.any(String) });
    expect(Number(claims["exp"]) - Number(claims["iat"])).toBe(900);
    // The token carries no secret: neither the key nor its hash.
    expect(JSON.stringify(claims)).not.toContain(server.adminKey);

    const me = await admin.as(token).get("/whoami");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ subject: "platform-admin", platformAdmin: true });
    // An admin-only call works with the token as with the key.
    expect((await admin.as(token).post("/teams", { name: "via-token" })).status).toBe(201);
    const audit = await admin.get("/audit?resourceType=team&resourceId=via-token");
    expect(audit.body.items[0]).toMatchObject({ subject: "platform-admin", action: "team.create" });
  });

  it("refuses an exchange without a valid key: unknown, malformed, missing, a token instead of a key", async () => {
    const token = await exchange(admin, server.adminKey);
    for (const body of [{ api_key: `mp_${randomBytes(32).toString("base64url")}` }, { api_key: "mp_short" }, { api_key: token }]) {
      const r = await anon.post("/auth/token", body);
      expect(r.status, JSON.stringify(body)).toBe(401);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.stringify(r.body)).not.toContain(body.api_key);
    }
    expect((await anon.post("/auth/token", {})).status).toBe(400);
    expect((await anon.post("/auth/token", { api_key: server.adminKey, extra: 1 })).status).toBe(400);
    expect((await anon.post("/auth/token")).status).toBe(400);
  });
});

describe("forged, expired and mis-addressed tokens are 401", () => {
  let genuine: string;
  let claims: Claims;
  let otherSubject: string;

  beforeAll(async () => {
    genuine = await exchange(admin, server.adminKey);
    secrets.push(genuine);
    claims = decodePayload(genuine);
    const { key } = await newAccount("jwt-other");
    otherSubject = String(decodePayload(await exchange(admin, key))["sub"]);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => string][] = [
    ["alg: none, no signature", () => unsigned(claims)],
    ["alg: none, the genuine signature kept", () => `${encodeJson({ alg: "none", typ: "JWT" })}.${genuine.split(".")[1]}.${genuine.split(".")[2]}`],
    ["alg: NONE (case variant)", () => `${encodeJson({ alg: "NONE", typ: "JWT" })}.${encodeJson(claims)}.`],
    ["RS256 signed with a fresh RSA key pair", () => signRs256(claims, rsaKeyPair().privateKey)],
    ["HS256 keyed with an RSA public key (HS/RS confusion)", () => signHs256(claims, rsaKeyPair().publicKey)],
    ["HS256 with the wrong secret", () => signHs256(claims, randomBytes(48).toString("base64url"))],
    ["HS512 with the server's own secret (algorithm not pinned)", () => {
      const input = `${encodeJson({ alg: "HS512", typ: "JWT" })}.${encodeJson(claims)}`;
      return `${input}.${createHmac("sha512", secret).update(input).digest("base64url")}`;
    }],
    ["expired an hour ago (server's own secret)", () => signHs256({ ...claims, iat: now() - 4500, exp: now() - 3600 }, secret)],
    ["expired a minute ago (beyond clock tolerance)", () => signHs256({ ...claims, iat: now() - 960, exp: now() - 60 }, secret)],
    ["no expiry at all (server's own secret)", () => {
      const { exp: _exp, ...rest } = claims;
      return signHs256(rest, secret);
    }],
    ["wrong audience", () => signHs256({ ...claims, aud: "someone-else" }, secret)],
    ["wrong issuer", () => signHs256({ ...claims, iss: "https://evil.example" }, secret)],
    ["no audience nor issuer", () => {
      const { aud: _a, iss: _i, ...rest } = claims;
      return signHs256(rest, secret);
    }],
    ["tampered payload: sub changed, signature kept", () => `${genuine.split(".")[0]}.${encodeJson({ ...claims, sub: otherSubject })}.${genuine.split(".")[2]}`],
    ["validly signed, but sub is another account than the key's owner", () => signHs256({ ...claims, sub: otherSubject }, secret)],
    ["validly signed for a key id that does not exist", () => signHs256({ ...claims, kid: randomUUID() }, secret)],
    ["validly signed without a key id", () => {
      const { kid: _k, ...rest } = claims;
      return signHs256(rest, secret);
    }],
    ["signature stripped", () => genuine.split(".").slice(0, 2).join(".") + "."],
    ["signature of another token", () => `${genuine.split(".").slice(0, 2).join(".")}.${signHs256({ ...claims, x: 1 }, secret).split(".")[2]}`],
    ["garbage", () => "not-a-jwt-at-all"],
    ["three garbage segments", () => "aaaa.bbbb.cccc"],
    ["truncated token", () => genuine.slice(0, genuine.length - 10)],
    ["8 KiB of garbage", () => "x".repeat(8192)],
  ];

  it.each(cases)("%s", async (_name, make) => {
    const token = make();
    await expectRefused(token);
    // Also on a call that would write: nothing happens.
    const res = await admin.as(token).post("/teams", { name: "forged-team" });
    expect(res.status).toBe(401);
    expect((await admin.get("/teams/forged-team")).status).toBe(404);
  });

  it("explains an expired token, and the genuine token still works", async () => {
    const body = await expectRefused(signHs256({ ...claims, exp: now() - 3600 }, secret));
    expect(body.detail).toMatch(/expired/);
    expect((await admin.as(genuine).get("/whoami")).status).toBe(200);
  });

  it("refuses malformed Authorization headers with 401 problem+json", async () => {
    for (const header of [`Basic ${b64(`platform-admin:${server.adminKey}`)}`, "Bearer", "Bearer ", `Token ${genuine}`, `Bearer ${genuine} extra`]) {
      const res = await fetch(`${server.api}/whoami`, { headers: { authorization: header } });
      const text = await res.text();
      expect(res.status, header).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(text).not.toContain(server.adminKey);
      expect(text).not.toContain(genuine);
    }
  });

  it("refuses calls without credentials with 401 saying how to authenticate", async () => {
    const r = await anon.get("/whoami");
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/Authorization: Bearer/);
  });
});

describe("key lifecycle: revoked, expired, unknown, deleted", () => {
  it("a revoked key and every token issued for it are refused; the account's other keys keep working", async () => {
    const { key } = await newAccount("revoke-me");
    const second = await admin.post("/service-accounts/revoke-me/keys", {});
    secrets.push(second.body.key);
    const token = await exchange(admin, key);
    secrets.push(token);
    expect((await admin.as(key).get("/whoami")).status).toBe(200);
    expect((await admin.as(token).get("/whoami")).status).toBe(200);

    const keys = await admin.get("/service-accounts/revoke-me/keys");
    const id = keys.body.items.find((k: { id: string; prefix: string }) => key.startsWith(k.prefix) && k.prefix.length > 0 && k.id !== second.body.id).id;
    const revoked = await admin.delete(`/service-accounts/revoke-me/keys/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect(JSON.stringify(revoked.body)).not.toContain(key);

    expect((await expectRefused(key)).detail).toMatch(/revoked/);
    await expectRefused(token);
    expect((await anon.post("/auth/token", { api_key: key })).status).toBe(401);
    expect((await admin.as(second.body.key).get("/whoami")).status).toBe(200);
    const audit = await admin.get(`/audit?resourceType=api-key&resourceId=${id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(["api-key.revoke", "api-key.create"]);
  });

  it("an expired key and its tokens are refused once it expires; a key cannot be created already expired", async () => {
    const past = await admin.post("/service-accounts/jwt-other/keys", { expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].pointer).toBe("/expiresAt");

    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const { expiring } = await newAccount("expire-me", expiresAt);
    const token = await exchange(admin, expiring!.key);
    expect((await admin.as(expiring!.key).get("/whoami")).status).toBe(200);
    expect((await admin.as(token).get("/whoami")).status).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 300));
    expect((await expectRefused(expiring!.key)).detail).toMatch(/expired/);
    await expectRefused(token);
    expect((await anon.post("/auth/token", { api_key: expiring!.key })).status).toBe(401);
  });

  it("an unknown key is refused", async () => {
    const body = await expectRefused(`mp_${randomBytes(32).toString("base64url")}`);
    expect(body.detail).toMatch(/not valid/);
    await expectRefused("mp_");
  });

  it("deleting a service account refuses its keys and tokens at once", async () => {
    const { key } = await newAccount("delete-me");
    const token = await exchange(admin, key);
    expect((await admin.delete("/service-accounts/delete-me")).status).toBe(204);
    await expectRefused(key);
    await expectRefused(token);
  });
});

describe("keys are shown once", () => {
  it("list, get and audit answers show the prefix only, never the key or its hash", async () => {
    const created = await admin.post("/service-accounts/jwt-other/keys", {});
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    secrets.push(key);
    expect(key).toMatch(/^mp_[A-Za-z0-9_-]{43}$/);
    const hash = createHash("sha256").update(key).digest("hex");

    const list = await admin.get("/service-accounts/jwt-other/keys");
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    expect(listed).toEqual({ id: created.body.id, serviceAccount: "jwt-other", prefix: key.slice(0, 7), expiresAt: null, revokedAt: null, createdAt: expect.any(String) });
    const reads = [
      list,
      await admin.get("/service-accounts/jwt-other"),
      await admin.get("/service-accounts"),
      await admin.get(`/audit?resourceId=${created.body.id}`),
      await admin.get("/audit?limit=500"),
      await admin.as(key).get("/whoami"),
    ];
    for (const r of reads) {
      expect(r.status).toBe(200);
      const text = JSON.stringify(r.body);
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(3));
      expect(text).not.toContain(hash);
    }
  });

  it("no key, token nor JWT secret ever appears in the server's logs", async () => {
    // Make the server log something with credentials in flight: a 404, a 500-free error, a bad body.
    await admin.get("/no/such/route");
    await admin.post("/teams", { name: "Bad Name" });
    await fetch(`${server.api}/teams`, { method: "POST", headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" }, body: "{not json" });
    await new Promise((r) => setTimeout(r, 300)); // pino writes asynchronously
    const logs = server.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(secrets.length).toBeGreaterThan(8);
    for (const s of secrets) {
      expect(logs.includes(s), `a secret (${s.slice(0, 6)}…) appears in the server's output`).toBe(false);
      expect(logs.includes(s.slice(3, 30)), `part of a secret (${s.slice(0, 6)}…) appears in the server's output`).toBe(false);
    }
  });
});

function b64(s: string): string {
  return Buffer.from(s).toString("base64");
}
