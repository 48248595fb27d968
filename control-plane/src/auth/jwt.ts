import jwt from "jsonwebtoken";

/**
 * Short-lived access tokens. The algorithm is pinned (HS256: the server is both issuer
 * and audience), so `alg: none` and HS/RS confusion are refused by construction;
 * issuer and audience are checked on every call.
 */
export const JWT_ISSUER = "meshplane";
export const JWT_AUDIENCE = "meshplane-api";
const ALGORITHM = "HS256" as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessTokenClaims {
  /** The service account's id. */
  readonly sub: string;
  /**
   * The credential the token was exchanged for: an API key (revoking the key revokes its
   * tokens) or, with `via: "federation"`, the federation rule an OIDC token matched
   * (deleting the rule revokes them).
   */
  readonly kid: string;
  readonly via?: "federation";
}

export class JwtIssuer {
  constructor(
    private readonly secret: string,
    readonly ttlSeconds: number,
  ) {}

  issue(claims: AccessTokenClaims): string {
    return jwt.sign(claims.via ? { kid: claims.kid, via: claims.via } : { kid: claims.kid }, this.secret, {
      algorithm: ALGORITHM,
      subject: claims.sub,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: this.ttlSeconds,
    });
  }

  /** Returns the claims, or a reason the token is refused (never throws). */
  verify(token: string): AccessTokenClaims | { error: string } {
    try {
      const payload = jwt.verify(token, this.secret, {
        algorithms: [ALGORITHM],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        clockTolerance: 5,
      });
      if (typeof payload !== "object" || typeof payload.sub !== "string" || typeof payload["kid"] !== "string") {
        return { error: "the token lacks its subject or key id" };
      }
      // jsonwebtoken accepts a token without `exp`; ours always carry one, so one
      // without is not ours (or was minted with a leaked secret): never valid forever.
      if (typeof payload.exp !== "number") return { error: "the access token has no expiry" };
      // Both are uuid columns: anything else was not issued here (or with a leaked secret)
      // and must be refused now, not by PostgreSQL as a 500.
      if (!UUID.test(payload.sub) || !UUID.test(payload["kid"] as string)) {
        return { error: "the access token's subject or key id is not one this server issues; exchange your API key for a new token at POST /api/v1/auth/token" };
      }
      return { sub: payload.sub, kid: payload["kid"] as string, ...(payload["via"] === "federation" ? { via: "federation" as const } : {}) };
    } catch (error) {
      const e = error as Error;
      if (e.name === "TokenExpiredError") return { error: "the access token has expired; exchange your API key for a new one at POST /api/v1/auth/token" };
      return { error: `the access token is not valid (${e.message})` };
    }
  }
}
