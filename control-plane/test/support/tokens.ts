import { createHmac, createSign, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiClient } from "./client.ts";

/**
 * Hand-made JWTs for attack tests: written with node:crypto rather than a JWT library,
 * because libraries (rightly) refuse to produce most of them.
 */
export type Claims = Record<string, unknown>;

export const b64url = (value: string | Buffer): string => Buffer.from(value).toString("base64url");

export function encodeJson(value: unknown): string {
  return b64url(JSON.stringify(value));
}

export function decodePayload(token: string): Claims {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Claims;
}

export function decodeHeader(token: string): Claims {
  return JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as Claims;
}

/** HS256 with any secret (a string, or e.g. a PEM public key used as HMAC secret). */
export function signHs256(payload: Claims, secret: string | Buffer, header: Claims = {}): string {
  const signingInput = `${encodeJson({ alg: "HS256", typ: "JWT", ...header })}.${encodeJson(payload)}`;
  return `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
}

export function signRs256(payload: Claims, privateKeyPem: string): string {
  const signingInput = `${encodeJson({ alg: "RS256", typ: "JWT" })}.${encodeJson(payload)}`;
  return `${signingInput}.${createSign("RSA-SHA256").update(signingInput).sign(privateKeyPem, "base64url")}`;
}

/** `alg: none`, with an empty signature (the classic form). */
export function unsigned(payload: Claims): string {
  return `${encodeJson({ alg: "none", typ: "JWT" })}.${encodeJson(payload)}.`;
}

export function rsaKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

/** The secret a server generated for itself (no MESHPLANE_JWT_SECRET): <data dir>/jwt.secret. */
export function serverJwtSecret(dataDir: string): string {
  return readFileSync(join(dataDir, "jwt.secret"), "utf8").trim();
}

/** Exchanges an API key for an access token (asserting success). */
export async function exchange(client: ApiClient, apiKey: string): Promise<string> {
  const r = await client.as(undefined).post("/auth/token", { api_key: apiKey });
  if (r.status !== 200) throw new Error(`token exchange failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token as string;
}

/**
 * A token the server itself would have issued for `apiKey` (same sub, kid, issuer,
 * audience, signed with the server's own secret) except that it expired `agoSeconds` ago.
 */
export async function expiredToken(client: ApiClient, apiKey: string, secret: string, agoSeconds = 3600): Promise<string> {
  const genuine = decodePayload(await exchange(client, apiKey));
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ ...genuine, iat: now - agoSeconds - 900, exp: now - agoSeconds }, secret);
}
