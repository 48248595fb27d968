import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { ServiceUnavailableError } from "../errors.ts";
import { AuthenticationFailure } from "./authenticator.ts";

/**
 * Verification of OIDC ID tokens from trusted issuers (SPEC §12), e.g. GitHub Actions'
 * `https://token.actions.githubusercontent.com`. The signature check is jose's: keys
 * come from the issuer's discovery document → `jwks_uri`, cached by createRemoteJWKSet,
 * which refetches the set when a token names an unknown `kid` (a key rotation) but at
 * most once per cooldown, so tokens with random kids cannot make us hammer the issuer.
 *
 * What is decided here: the token is genuine, from a trusted issuer, in its validity
 * window. Whom it may act as (audience and claims against federation rules) is the
 * token exchange's business (services/token-exchange-service.ts).
 */
export const OIDC_ALGORITHMS = ["RS256", "ES256"] as const;
/** Clocks of the issuer, the runner and this server may differ by this much (SPEC: ≤ 60 s). */
export const OIDC_CLOCK_TOLERANCE_SECONDS = 60;
const FETCH_TIMEOUT_MS = 5_000;
/** jose keeps a fetched JWKS this long even if no unknown kid shows up. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

export interface VerifiedOidcToken {
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  readonly claims: JWTPayload;
}

export interface OidcOptions {
  readonly issuers: readonly string[];
  readonly jwksCooldownSeconds: number;
}

type KeySet = ReturnType<typeof createRemoteJWKSet>;

export class OidcVerifier {
  private readonly trusted: ReadonlySet<string>;
  /** issuer → its key set, once its discovery document was read (a failed read is not kept). */
  private readonly keySets = new Map<string, Promise<KeySet>>();

  constructor(private readonly options: OidcOptions) {
    this.trusted = new Set(options.issuers);
  }

  trusts(issuer: string): boolean {
    return this.trusted.has(issuer);
  }

  /** Throws AuthenticationFailure (401) for any token that is not genuine and current, ServiceUnavailableError when the issuer cannot be read. */
  async verify(token: string): Promise<VerifiedOidcToken> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw refused("the subject_token is not a JWT (three base64url parts: header.payload.signature); send the ID token as the issuer gave it");
    }
    const alg = header.alg;
    if (alg === undefined || alg.toLowerCase() === "none") throw refused("the subject_token is unsigned (alg: none); only tokens signed with RS256 or ES256 are accepted");
    if (!(OIDC_ALGORITHMS as readonly string[]).includes(alg)) throw refused(`the subject_token is signed with ${alg}; only RS256 and ES256 are accepted`);
    const issuer = unverified.iss;
    if (typeof issuer !== "string" || issuer === "") throw refused("the subject_token has no issuer (iss)");
    if (!this.trusted.has(issuer)) {
      throw new AuthenticationFailure(
        "untrusted-issuer",
        this.trusted.size === 0
          ? `this control plane trusts no OIDC issuer, so the token of ${issuer} cannot be exchanged; its operators list trusted issuers in MESHPLANE_OIDC_ISSUERS`
          : `issuer ${issuer} is not trusted by this control plane; its operators list trusted issuers in MESHPLANE_OIDC_ISSUERS`,
      );
    }
    const keys = await this.keySet(issuer);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        algorithms: [...OIDC_ALGORITHMS],
        clockTolerance: OIDC_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "sub", "aud"],
      }));
    } catch (error) {
      throw this.explain(error, issuer, header.kid);
    }
    const audiences = typeof payload.aud === "string" ? [payload.aud] : [...(payload.aud ?? [])];
    return { issuer, subject: payload.sub!, audiences, claims: payload };
  }

  private explain(error: unknown, issuer: string, kid: string | undefined): Error {
    const at = (seconds: unknown) => (typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : "?");
    if (error instanceof errors.JWTExpired) {
      return refused(`the subject_token expired at ${at(error.payload.exp)} (${OIDC_CLOCK_TOLERANCE_SECONDS} s of clock skew allowed); request a new ID token`);
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === "nbf") return refused(`the subject_token is not valid before ${at(error.payload.nbf)} (${OIDC_CLOCK_TOLERANCE_SECONDS} s of clock skew allowed)`);
      if (error.claim === "iat") return refused(`the subject_token was issued in the future (iat ${at(error.payload.iat)}); check the clocks`);
      return refused(`the subject_token's ${error.claim} claim is not acceptable: ${error.reason === "missing" ? "it is missing" : error.message}`);
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      return refused(
        `no key of ${issuer}'s published keys (JWKS) has kid ${kid ?? "(none)"}; the keys are fetched again at most every ${this.options.jwksCooldownSeconds} s, so a token just signed with a new key may be retried shortly`,
      );
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) return refused(`the subject_token's signature does not verify with ${issuer}'s key ${kid ?? ""}`.trim());
    if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof TypeError) {
      return new ServiceUnavailableError(`the keys of issuer ${issuer} could not be fetched (${(error as Error).message}); try again`, 5);
    }
    if (error instanceof errors.JOSEError) return refused(`the subject_token is not valid (${error.message})`);
    return error as Error;
  }

  private keySet(issuer: string): Promise<KeySet> {
    let pending = this.keySets.get(issuer);
    if (!pending) {
      pending = discover(issuer).then((jwksUri) =>
        createRemoteJWKSet(jwksUri, {
          cooldownDuration: this.options.jwksCooldownSeconds * 1000,
          cacheMaxAge: JWKS_MAX_AGE_MS,
          timeoutDuration: FETCH_TIMEOUT_MS,
        }),
      );
      // A failed discovery is asked again by the next exchange, not remembered.
      pending.catch(() => this.keySets.delete(issuer));
      this.keySets.set(issuer, pending);
    }
    return pending;
  }
}

/** Reads `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4) and answers its jwks_uri. */
async function discover(issuer: string): Promise<URL> {
  const where = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(where, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "error", headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (error) {
    throw new ServiceUnavailableError(`the discovery document of issuer ${issuer} could not be read at ${where} (${(error as Error).message}); try again`, 5);
  }
  // The document must speak for the issuer we trust (OIDC Discovery §4.3), else its keys are someone else's.
  if (document.issuer !== issuer) {
    throw new ServiceUnavailableError(`the discovery document at ${where} names issuer ${JSON.stringify(document.issuer)}, not ${issuer}; the issuer is misconfigured`, 30);
  }
  let jwksUri: URL;
  try {
    jwksUri = new URL(String(document.jwks_uri));
  } catch {
    throw new ServiceUnavailableError(`the discovery document of issuer ${issuer} has no valid jwks_uri`, 30);
  }
  const issuerUrl = new URL(issuer);
  if (jwksUri.protocol !== "https:" && !(jwksUri.protocol === "http:" && issuerUrl.protocol === "http:" && jwksUri.hostname === issuerUrl.hostname)) {
    throw new ServiceUnavailableError(`the jwks_uri of issuer ${issuer} (${jwksUri.href}) is not https; keys fetched in clear text cannot be trusted`, 30);
  }
  return jwksUri;
}

function refused(detail: string): AuthenticationFailure {
  return new AuthenticationFailure("invalid-subject-token", detail);
}
