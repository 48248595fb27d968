import { UnauthenticatedError } from "../errors.ts";
import type { IdentityRepository, KeyOwnerRow } from "../repositories/identity-repository.ts";
import { hashApiKey, looksLikeApiKey } from "./api-keys.ts";
import type { JwtIssuer } from "./jwt.ts";
import type { Principal } from "./principal.ts";

/**
 * Turns `Authorization: Bearer …` into a Principal. Either an API key (scripts, curl)
 * or an access token from POST /auth/token. Lookups are cached for a few seconds to
 * keep the hot path off the database; any change to keys or bindings made through this
 * process clears the cache at once, other replicas see it within CACHE_TTL_MS.
 */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;

export class Authenticator {
  private readonly cache = new Map<string, { row: KeyOwnerRow | null; at: number }>();

  constructor(
    private readonly identities: IdentityRepository,
    private readonly jwt: JwtIssuer,
  ) {}

  invalidate(): void {
    this.cache.clear();
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) {
      throw new UnauthenticatedError(
        "no credentials: send `Authorization: Bearer <API key or access token>` (get a token at POST /api/v1/auth/token)",
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) {
      throw new UnauthenticatedError("the Authorization header must be `Bearer <API key or access token>`");
    }
    const token = match[1];
    if (looksLikeApiKey(token)) return this.fromApiKey(token);
    return this.fromAccessToken(token);
  }

  /** Used by POST /auth/token: the key itself, no token accepted. */
  async fromApiKey(key: string): Promise<Principal> {
    const hash = hashApiKey(key);
    const row = await this.cached(`h:${hash}`, () => this.identities.findKeyOwnerByHash(hash));
    if (!row) throw new UnauthenticatedError("the API key is not valid (unknown key)");
    return toPrincipal(checkUsable(row), `key:${row.keyId}`);
  }

  private async fromAccessToken(token: string): Promise<Principal> {
    const claims = this.jwt.verify(token);
    if ("error" in claims) throw new UnauthenticatedError(claims.error);
    const row = await this.cached(`k:${claims.kid}`, () => this.identities.findKeyOwnerById(claims.kid));
    if (!row || row.serviceAccountId !== claims.sub) {
      throw new UnauthenticatedError("the access token's key no longer exists; exchange a valid API key for a new token");
    }
    return toPrincipal(checkUsable(row), `key:${row.keyId}`);
  }

  private async cached(id: string, load: () => Promise<KeyOwnerRow | null>): Promise<KeyOwnerRow | null> {
    const hit = this.cache.get(id);
    const now = Date.now();
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.row;
    const row = await load();
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(id, { row, at: now });
    return row;
  }
}

function checkUsable(row: KeyOwnerRow): KeyOwnerRow {
  if (row.revokedAt) throw new UnauthenticatedError("the API key has been revoked; ask for a new one");
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw new UnauthenticatedError(`the API key expired at ${row.expiresAt.toISOString()}; ask for a new one`);
  }
  return row;
}

function toPrincipal(row: KeyOwnerRow, rateKey: string): Principal {
  return {
    subject: row.serviceAccountName,
    kind: "service-account",
    serviceAccountId: row.serviceAccountId,
    team: row.teamName,
    teamId: row.teamId,
    bindings: row.bindings,
    platformAdmin: row.bindings.some((b) => b.role === "platform-admin"),
    apiKeyId: row.keyId,
    rateKey,
  };
}
