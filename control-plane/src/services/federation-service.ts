import { isForeignKeyViolation, isUniqueViolation } from "../db/errors.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { cursorKinds, decodeCursor, toPage, type Page, type PageQuery } from "../http/pagination.ts";
import { federationRepository, type FederationRow } from "../repositories/federation-repository.ts";
import { serviceAccountRepository } from "../repositories/service-account-repository.ts";
import type { OidcVerifier } from "../auth/oidc.ts";
import type { Actor, ServiceDeps } from "./context.ts";

export interface FederationView {
  id: string;
  serviceAccount: string;
  issuer: string;
  audience: string;
  claims: Record<string, string>;
  description: string;
  /** Whether this server trusts the issuer now (MESHPLANE_OIDC_ISSUERS): a rule of an untrusted issuer never matches. */
  issuerTrusted: boolean;
  createdAt: string;
}

export interface FederationInput {
  issuer: string;
  audience: string;
  claims: Record<string, string>;
  description?: string | undefined;
}

/**
 * Federation rules: a service account trusts OIDC tokens of an issuer for an audience
 * whose listed claims all match exactly (SPEC §12), instead of holding an API key.
 * Managed by platform admins, like the keys they replace. A rule of an issuer this
 * server does not trust (yet) is stored, flagged `issuerTrusted: false`: the platform's
 * configuration and its server's environment are changed independently.
 */
export class FederationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly oidc: OidcVerifier,
  ) {}

  async create(actor: Actor, name: string, input: FederationInput): Promise<FederationView> {
    try {
      return await this.deps.db.$transaction(async (tx) => {
        const account = await serviceAccountRepository.findByName(tx, name);
        if (!account) throw notFound(name);
        const row = await federationRepository.create(tx, {
          serviceAccountId: account.id,
          issuer: input.issuer,
          audience: input.audience,
          claims: sortedClaims(input.claims),
          description: input.description ?? "",
        });
        const view = this.view(name, row);
        await this.deps.audit.record(tx, { ...actor, action: "federation.create", resourceType: "service-account-federation", resourceId: row.id, after: view });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`service account ${name} already has this federation rule (same issuer, audience and claims); list them with GET /api/v1/service-accounts/${name}/federations`);
      }
      if (isForeignKeyViolation(error)) throw notFound(name);
      throw error;
    }
  }

  async list(name: string, page: PageQuery): Promise<Page<FederationView>> {
    const account = await serviceAccountRepository.findByName(this.deps.db, name);
    if (!account) throw notFound(name);
    const rows = await federationRepository.listFor(this.deps.db, account.id, decodeCursor(page.cursor, cursorKinds.uuid), page.limit + 1);
    const p = toPage(rows, page.limit, (r) => r.id);
    return { items: p.items.map((r) => this.view(name, r)), nextCursor: p.nextCursor };
  }

  async get(name: string, id: string): Promise<FederationView> {
    const account = await serviceAccountRepository.findByName(this.deps.db, name);
    if (!account) throw notFound(name);
    const row = await federationRepository.find(this.deps.db, account.id, id);
    if (!row) throw ruleNotFound(name, id);
    return this.view(name, row);
  }

  /** Deleting a rule revokes the access tokens exchanged through it. */
  async delete(actor: Actor, name: string, id: string): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      const account = await serviceAccountRepository.findByName(tx, name);
      if (!account) throw notFound(name);
      const row = await federationRepository.find(tx, account.id, id);
      if (!row) throw ruleNotFound(name, id);
      await federationRepository.delete(tx, id);
      await this.deps.audit.record(tx, { ...actor, action: "federation.delete", resourceType: "service-account-federation", resourceId: id, before: this.view(name, row) });
    });
    this.deps.authenticator.invalidate();
  }

  private view(serviceAccount: string, r: FederationRow): FederationView {
    return {
      id: r.id,
      serviceAccount,
      issuer: r.issuer,
      audience: r.audience,
      claims: r.claims,
      description: r.description,
      issuerTrusted: this.oidc.trusts(r.issuer),
      createdAt: r.createdAt.toISOString(),
    };
  }
}

/** Stored in name order, so the unique index sees `{a, b}` and `{b, a}` as the same rule (jsonb compares keys sorted anyway). */
function sortedClaims(claims: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`service account ${name} does not exist; list them with GET /api/v1/service-accounts`);
}

function ruleNotFound(name: string, id: string): NotFoundError {
  return new NotFoundError(`service account ${name} has no federation rule ${id}; list them with GET /api/v1/service-accounts/${name}/federations`);
}
