import { decodeJwt, type JWTPayload } from "jose";
import { AuthenticationFailure } from "../auth/authenticator.ts";
import type { OidcVerifier, VerifiedOidcToken } from "../auth/oidc.ts";
import { ValidationError } from "../errors.ts";
import { federationRepository, type FederationRuleWithAccount } from "../repositories/federation-repository.ts";
import type { AuditEntry } from "../repositories/audit-repository.ts";
import type { ServiceDeps } from "./context.ts";

export interface TokenAnswer {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  /** RFC 8693 §2.2.1, on token exchanges only. */
  issued_token_type?: "urn:ietf:params:oauth:token-type:access_token";
}

/**
 * Claims echoed back in a refusal. They are the caller's own token's, so nothing is
 * disclosed; the rules' expected values never are (a valid GitHub token can be had by
 * anyone with any repository, so a refusal must not teach which repository to aim at).
 */
const ECHOED_CLAIMS = ["sub", "repository", "repository_owner", "ref", "ref_type", "environment", "event_name", "workflow_ref", "job_workflow_ref"] as const;

/**
 * POST /auth/token: an API key, or an OIDC ID token (RFC 8693 token exchange) matching a
 * federation rule, for the same short-lived access token. Every OIDC exchange, granted or
 * refused, is audited (issuer, subject, audience, the rule or the claims that differed;
 * never the token itself).
 */
export class TokenExchangeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly oidc: OidcVerifier,
  ) {}

  async exchangeApiKey(key: string): Promise<TokenAnswer> {
    const principal = await this.deps.authenticator.fromApiKey(key);
    return { access_token: this.deps.jwt.issue({ sub: principal.serviceAccountId, kid: principal.apiKeyId }), token_type: "Bearer", expires_in: this.deps.jwt.ttlSeconds };
  }

  async exchangeOidc(input: { subjectToken: string; serviceAccount?: string | undefined }, requestId: string): Promise<TokenAnswer> {
    let token: VerifiedOidcToken;
    try {
      token = await this.oidc.verify(input.subjectToken);
    } catch (error) {
      if (error instanceof AuthenticationFailure) await this.auditRefusal(anonymousRefusal(input, error, requestId));
      throw error;
    }
    const rules = await federationRepository.listForIssuer(this.deps.db, token.issuer, input.serviceAccount);
    const verdicts = rules.map((rule) => ({ rule, differs: differences(rule, token) }));
    const matching = verdicts.filter((v) => v.differs.length === 0).map((v) => v.rule);
    const accounts = [...new Set(matching.map((r) => r.serviceAccountName))];
    const seen = echo(token.claims);
    if (accounts.length === 0) {
      await this.auditRefusal({
        subject: `oidc:${token.subject}`,
        subjectKind: "oidc",
        action: "auth.token-exchange.refused",
        resourceType: "service-account",
        resourceId: input.serviceAccount ?? "",
        requestId,
        after: {
          reason: "no-federation-match",
          issuer: token.issuer,
          audiences: token.audiences,
          claims: seen,
          ...(input.serviceAccount ? { serviceAccount: input.serviceAccount } : {}),
          // For the platform admins reading the audit: which claims kept each rule from matching.
          rules: verdicts.map((v) => ({ federation: v.rule.id, serviceAccount: v.rule.serviceAccountName, differs: v.differs })),
        },
      });
      throw new AuthenticationFailure(
        "no-federation-match",
        `no federation rule${input.serviceAccount ? ` of service account ${input.serviceAccount}` : ""} matches this token ` +
          `(issuer ${token.issuer}, audience ${token.audiences.join(", ")}; ${Object.entries(seen).map(([k, v]) => `${k}=${v}`).join(", ")}). ` +
          "A rule matches when its audience is one of the token's and each of its claims equals the token's exactly: compare these with your " +
          "service account's rule (the `federations:` of platform.yaml, or GET /api/v1/service-accounts/{name}/federations as a platform admin); " +
          `a platform admin sees which claims differed in the audit event auth.token-exchange.refused of request ${requestId}`,
      );
    }
    if (accounts.length > 1) {
      await this.auditRefusal({
        subject: `oidc:${token.subject}`,
        subjectKind: "oidc",
        action: "auth.token-exchange.refused",
        resourceType: "service-account",
        resourceId: "",
        requestId,
        after: { reason: "several-accounts", issuer: token.issuer, audiences: token.audiences, claims: seen, serviceAccounts: accounts.sort() },
      });
      throw new ValidationError(
        `this token matches the federation rules of several service accounts (${accounts.sort().join(", ")}); say which one to act as with service_account`,
        [{ pointer: "/service_account", message: `required: one of ${accounts.join(", ")}` }],
      );
    }
    const rule = matching[0]!;
    const answer: TokenAnswer = {
      access_token: this.deps.jwt.issue({ sub: rule.serviceAccountId, kid: rule.id, via: "federation" }),
      token_type: "Bearer",
      expires_in: this.deps.jwt.ttlSeconds,
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
    };
    await this.deps.audit.record(this.deps.db, {
      subject: rule.serviceAccountName,
      subjectKind: "service-account",
      action: "auth.token-exchange",
      resourceType: "service-account",
      resourceId: rule.serviceAccountName,
      requestId,
      after: { federation: rule.id, issuer: token.issuer, audience: rule.audience, subject: token.subject, claims: rule.claims, expiresIn: answer.expires_in },
    });
    return answer;
  }

  private async auditRefusal(entry: AuditEntry): Promise<void> {
    // A refusal is answered even if its audit row cannot be written (the log has it too).
    await this.deps.audit.record(this.deps.db, entry).catch((error: Error) => this.deps.logger.warn({ err: error.message }, "could not audit a refused token exchange"));
  }
}

/** Why `rule` does not match `token`: "aud" and the names of the claims that differ. */
function differences(rule: FederationRuleWithAccount, token: VerifiedOidcToken): string[] {
  const differs = token.audiences.includes(rule.audience) ? [] : ["aud"];
  for (const [name, expected] of Object.entries(rule.claims)) {
    if (!Object.hasOwn(token.claims, name) || token.claims[name] !== expected) differs.push(name);
  }
  return differs;
}

function echo(claims: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ECHOED_CLAIMS) {
    const value = claims[name];
    if (typeof value === "string") out[name] = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  }
  return out;
}

/** A token refused before its signature was checked: what it claims is recorded as unverified. */
function anonymousRefusal(input: { subjectToken: string; serviceAccount?: string | undefined }, error: AuthenticationFailure, requestId: string): AuditEntry {
  let claimed: Record<string, unknown> = {};
  try {
    const payload = decodeJwt(input.subjectToken);
    claimed = { issuer: typeof payload.iss === "string" ? payload.iss.slice(0, 200) : undefined, ...echo(payload) };
  } catch {
    // not a JWT at all: nothing to record but the reason
  }
  return {
    subject: "anonymous",
    subjectKind: "anonymous",
    action: "auth.token-exchange.refused",
    resourceType: "service-account",
    resourceId: input.serviceAccount ?? "",
    requestId,
    after: { reason: error.reason, detail: error.message, unverified: claimed, ...(input.serviceAccount ? { serviceAccount: input.serviceAccount } : {}) },
  };
}
