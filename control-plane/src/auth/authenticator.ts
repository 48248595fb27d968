import { UnauthenticatedError } from "../errors.ts";
import type { IdentityRepository, KeyOwnerRow } from "../repositories/identity-repository.ts";
import { hashApiKey, looksLikeApiKey } from "./api-keys.ts";
import { BoundedCache } from "./bounded-cache.ts";
import type { JwtIssuer } from "./jwt.ts";
import type { Principal } from "./principal.ts";

/**
 * Turns `Authorization: Bearer …` into a Principal. Either an API key (scripts, curl)
 * or an access token from POST /auth/token. Lookups are cached for a few seconds to
 * keep the hot path off the database; any change to keys or bindings made through this
 * process clears the cache at once, other replicas see it within CACHE_TTL_MS.
 *
 * Unknown keys are remembered too (for the same few seconds), apart from the known ones
 * and in a bounded LRU: a client repeating a wrong key costs one lookup, and one sending
 * random keys can neither grow memory past UNKNOWN_MAX entries nor push the known keys
 * out of their cache (only keys that exist enter it).
 */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
const UNKNOWN_MAX = 10_000;

/** Why a credential was refused, as a short fixed word: a metric label and a log field. */
export type AuthFailureReason =
  | "no-credentials"
  | "malformed-header"
  | "unknown-key"
  | "revoked-key"
  | "expired-key"
  | "invalid-token"
  | "token-key-gone"
  // OIDC token exchange (auth/oidc.ts, services/token-exchange-service.ts)
  | "invalid-subject-token"
  | "untrusted-issuer"
  | "no-federation-match"
  | "federation-gone";

export class AuthenticationFailure extends UnauthenticatedError {
  constructor(
    readonly reason: AuthFailureReason,
    detail: string,
  ) {
    super(detail);
  }
}

export class Authenticator {
  private readonly cache = new Map<string, { row: KeyOwnerRow; at: number }>();
  private readonly unknown = new BoundedCache<true>(UNKNOWN_MAX, CACHE_TTL_MS);

  constructor(
    private readonly identities: IdentityRepository,
    private readonly jwt: JwtIssuer,
  ) {}

  /** After any change to keys or bindings, including a key's creation (it may have been tried, and remembered as unknown, before). */
  invalidate(): void {
    this.cache.clear();
    this.unknown.clear();
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) {
      throw new AuthenticationFailure(
        "no-credentials",
        "no credentials: send `Authorization: Bearer <API key or access token>` (get a token at POST /api/v1/auth/token)",
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) {
      throw new AuthenticationFailure("malformed-header", "the Authorization header must be `Bearer <API key or access token>`");
    }
    const token = match[1];
    if (looksLikeApiKey(token)) return this.fromApiKey(token);
    return this.fromAccessToken(token);
  }

  /** Used by POST /auth/token: the key itself, no token accepted. */
  async fromApiKey(key: string): Promise<Principal> {
    const hash = hashApiKey(key);
    const row = await this.cached(`h:${hash}`, () => this.identities.findKeyOwnerByHash(hash));
    if (!row) throw new AuthenticationFailure("unknown-key", "the API key is not valid (unknown key)");
    return toPrincipal(checkUsable(row), `key:${row.keyId}`);
  }

  private async fromAccessToken(token: string): Promise<Principal> {
    const claims = this.jwt.verify(token);
    if ("error" in claims) throw new AuthenticationFailure("invalid-token", claims.error);
    if (claims.via === "federation") return this.fromFederatedToken(claims.sub, claims.kid);
    const row = await this.cached(`k:${claims.kid}`, () => this.identities.findKeyOwnerById(claims.kid));
    if (!row || row.serviceAccountId !== claims.sub) {
      throw new AuthenticationFailure("token-key-gone", "the access token's key no longer exists; exchange a valid API key for a new token");
    }
    return toPrincipal(checkUsable(row), `key:${row.keyId}`);
  }

  /** A token exchanged from an OIDC token: valid while the federation rule it matched exists. */
  private async fromFederatedToken(serviceAccountId: string, federationId: string): Promise<Principal> {
    const row = await this.cached(`f:${federationId}`, () => this.identities.findFederationOwnerById(federationId));
    if (!row || row.serviceAccountId !== serviceAccountId) {
      throw new AuthenticationFailure("federation-gone", "the federation rule this access token was exchanged through no longer exists; exchange a new OIDC token");
    }
    return { ...toPrincipal(row, `fed:${federationId}`), federationId };
  }

  private async cached(id: string, load: () => Promise<KeyOwnerRow | null>): Promise<KeyOwnerRow | null> {
    const hit = this.cache.get(id);
    const now = Date.now();
    if (hit && now - hit.at < CACHE_TTL_MS) return hit.row;
    if (this.unknown.get(id)) return null;
    const row = await load();
    if (!row) {
      this.unknown.set(id, true);
      return null;
    }
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(id, { row, at: now });
    return row;
  }
}

function checkUsable(row: KeyOwnerRow): KeyOwnerRow {
  if (row.revokedAt) throw new AuthenticationFailure("revoked-key", "the API key has been revoked; ask for a new one");
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw new AuthenticationFailure("expired-key", `the API key expired at ${row.expiresAt.toISOString()}; ask for a new one`);
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
