import { apiKeyPrefix, generateApiKey, hashApiKey } from "../auth/api-keys.ts";
import { isForeignKeyViolation, isUniqueViolation } from "../db/errors.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { cursorKinds, decodeCursor, toPage, type Page, type PageQuery } from "../pagination.ts";
import { apiKeyRepository, type ApiKeyRow } from "../repositories/api-key-repository.ts";
import { serviceAccountRepository, type ServiceAccountRow } from "../repositories/service-account-repository.ts";
import { teamRepository } from "../repositories/team-repository.ts";
import type { Actor, ServiceDeps } from "./context.ts";
import { keepingAPlatformAdmin } from "./platform-admin-guard.ts";

export interface ServiceAccountView {
  name: string;
  team: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKeyView {
  id: string;
  serviceAccount: string;
  prefix: string;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

function accountView(a: ServiceAccountRow): ServiceAccountView {
  return { name: a.name, team: a.team.name, description: a.description, createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString() };
}

function keyView(serviceAccount: string, k: ApiKeyRow): ApiKeyView {
  return {
    id: k.id,
    serviceAccount,
    prefix: k.prefix,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
  };
}

/** Service accounts (one per CI pipeline) and their API keys. */
export class ServiceAccountService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(actor: Actor, input: { name: string; team: string; description?: string }): Promise<ServiceAccountView> {
    try {
      return await this.deps.db.$transaction(async (tx) => {
        const team = await teamRepository.findByName(tx, input.team);
        if (!team) {
          throw new ValidationError(`team ${input.team} does not exist; create it first (POST /api/v1/teams)`, [
            { pointer: "/team", message: "unknown team" },
          ]);
        }
        const account = accountView(await serviceAccountRepository.create(tx, { name: input.name, teamId: team.id, description: input.description ?? "" }));
        await this.deps.audit.record(tx, { ...actor, action: "service-account.create", resourceType: "service-account", resourceId: account.name, after: account });
        return account;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`service account ${input.name} already exists; choose another name`);
      throw error;
    }
  }

  async get(name: string): Promise<ServiceAccountView> {
    return accountView(await this.require(name));
  }

  async list(filter: { team?: string }, page: PageQuery): Promise<Page<ServiceAccountView>> {
    const rows = await serviceAccountRepository.list(this.deps.db, filter, decodeCursor(page.cursor, cursorKinds.name), page.limit + 1);
    const p = toPage(rows, page.limit, (a) => a.name);
    return { items: p.items.map(accountView), nextCursor: p.nextCursor };
  }

  async update(actor: Actor, name: string, input: { description?: string }): Promise<ServiceAccountView> {
    return this.deps.db.$transaction(async (tx) => {
      const before = await serviceAccountRepository.findByName(tx, name);
      if (!before) throw notFound(name);
      const after = accountView(await serviceAccountRepository.update(tx, before.id, input));
      await this.deps.audit.record(tx, { ...actor, action: "service-account.update", resourceType: "service-account", resourceId: name, before: accountView(before), after });
      return after;
    });
  }

  async delete(actor: Actor, name: string): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      const account = await serviceAccountRepository.findByName(tx, name);
      if (!account) throw notFound(name);
      await keepingAPlatformAdmin(tx, `deleting service account ${name}`, () => serviceAccountRepository.delete(tx, account.id));
      await this.deps.audit.record(tx, { ...actor, action: "service-account.delete", resourceType: "service-account", resourceId: name, before: accountView(account) });
    });
    this.deps.authenticator.invalidate();
  }

  /** The key is returned here and never again: only its hash is stored. */
  async createKey(actor: Actor, name: string, input: { expiresAt?: Date | undefined }): Promise<ApiKeyView & { key: string }> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new ValidationError("expiresAt is in the past; give a future date-time, or omit it for a key that does not expire", [
        { pointer: "/expiresAt", message: "must be in the future" },
      ]);
    }
    const key = generateApiKey();
    try {
      const created = await this.deps.db.$transaction(async (tx) => {
        const account = await serviceAccountRepository.findByName(tx, name);
        if (!account) throw notFound(name);
        const row = await apiKeyRepository.create(tx, { serviceAccountId: account.id, hash: hashApiKey(key), prefix: apiKeyPrefix(key), expiresAt: input.expiresAt ?? null });
        const view = keyView(name, row);
        await this.deps.audit.record(tx, { ...actor, action: "api-key.create", resourceType: "api-key", resourceId: row.id, after: view });
        return { ...view, key };
      });
      // A key may have been presented before it existed (it is remembered as unknown for a few seconds).
      this.deps.authenticator.invalidate();
      return created;
    } catch (error) {
      // The account was deleted between the lookup and the insert (a concurrent DELETE).
      if (isForeignKeyViolation(error)) throw notFound(name);
      throw error;
    }
  }

  async listKeys(name: string, page: PageQuery): Promise<Page<ApiKeyView>> {
    const account = await this.require(name);
    const rows = await apiKeyRepository.listFor(this.deps.db, account.id, decodeCursor(page.cursor, cursorKinds.uuid), page.limit + 1);
    const p = toPage(rows, page.limit, (k) => k.id);
    return { items: p.items.map((k) => keyView(name, k)), nextCursor: p.nextCursor };
  }

  async getKey(name: string, id: string): Promise<ApiKeyView> {
    const account = await this.require(name);
    const key = await apiKeyRepository.find(this.deps.db, account.id, id);
    if (!key) throw new NotFoundError(`service account ${name} has no key ${id}; list them with GET /api/v1/service-accounts/${name}/keys`);
    return keyView(name, key);
  }

  async revokeKey(actor: Actor, name: string, id: string): Promise<ApiKeyView> {
    const view = await this.deps.db.$transaction(async (tx) => {
      const account = await serviceAccountRepository.findByName(tx, name);
      if (!account) throw notFound(name);
      const key = await apiKeyRepository.find(tx, account.id, id);
      if (!key) throw new NotFoundError(`service account ${name} has no key ${id}; list them with GET /api/v1/service-accounts/${name}/keys`);
      if (key.revokedAt) return keyView(name, key);
      const after = keyView(name, await keepingAPlatformAdmin(tx, `revoking key ${id} of ${name}`, () => apiKeyRepository.revoke(tx, id)));
      await this.deps.audit.record(tx, { ...actor, action: "api-key.revoke", resourceType: "api-key", resourceId: id, before: keyView(name, key), after });
      return after;
    });
    this.deps.authenticator.invalidate();
    return view;
  }

  async require(name: string): Promise<ServiceAccountRow> {
    const account = await serviceAccountRepository.findByName(this.deps.db, name);
    if (!account) throw notFound(name);
    return account;
  }
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`service account ${name} does not exist; list them with GET /api/v1/service-accounts`);
}
