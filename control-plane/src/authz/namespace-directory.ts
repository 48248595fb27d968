import type { NamespaceOwner, NamespaceOwnerRepository } from "../repositories/namespace-owner-repository.ts";
import { selfAndAncestors } from "./roles.ts";

/**
 * Which team owns a namespace. A namespace is owned by the team owning its nearest
 * registered self-or-ancestor. Cached whole for a short time (there are few namespaces
 * and every request asks); writes through this process invalidate it at once.
 */
const TTL_MS = 2_000;

export class NamespaceDirectory {
  private owners: Map<string, NamespaceOwner> | null = null;
  private loadedAt = 0;
  /** Bumped by invalidate(): a load started before a write must be neither reused nor kept. */
  private generation = 0;
  private loading: { generation: number; promise: Promise<Map<string, NamespaceOwner>> } | null = null;
  private refreshing: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly repository: NamespaceOwnerRepository) {}

  invalidate(): void {
    this.owners = null;
    this.generation++;
  }

  /**
   * Reloads from the database. Another replica may have created or re-owned a namespace
   * since our last load: before refusing a call (or calling a namespace unknown), the
   * authorizer looks again, so a namespace created through one replica is usable through
   * every replica at once. Only a load that starts after this call counts; callers that
   * arrive while one runs share the next one (at most one load runs, one waits).
   */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.invalidate();
      this.refreshing = this.load()
        .then(() => undefined)
        .finally(() => {
          this.refreshing = null;
        });
      return this.refreshing;
    }
    this.queued ??= this.refreshing.then(() => {
      this.queued = null;
      return this.refresh();
    });
    return this.queued;
  }

  /**
   * The registered namespace that governs `namespace` (itself or nearest ancestor).
   * Before answering "none", looks again: it may have just been created through
   * another replica.
   */
  async governing(namespace: string): Promise<NamespaceOwner | null> {
    const find = (owners: Map<string, NamespaceOwner>) => {
      for (const candidate of selfAndAncestors(namespace)) {
        const owner = owners.get(candidate);
        if (owner) return owner;
      }
      return null;
    };
    const found = find(await this.load());
    if (found) return found;
    await this.refresh();
    return find(await this.load());
  }

  /** Every registered self-or-ancestor of `namespace` (ownership is inherited downwards). */
  async ownersOf(namespace: string): Promise<NamespaceOwner[]> {
    const owners = await this.load();
    return selfAndAncestors(namespace).flatMap((n) => owners.get(n) ?? []);
  }

  private load(): Promise<Map<string, NamespaceOwner>> {
    if (this.owners && Date.now() - this.loadedAt < TTL_MS) return Promise.resolve(this.owners);
    const generation = this.generation;
    if (this.loading?.generation === generation) return this.loading.promise;
    const promise = this.repository
      .listAll()
      .then((rows) => {
        const owners = new Map(rows.map((r) => [r.name, r]));
        if (this.generation === generation) {
          this.owners = owners;
          this.loadedAt = Date.now();
        }
        return owners;
      })
      .finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
    this.loading = { generation, promise };
    return promise;
  }
}
