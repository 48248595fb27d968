import type { NamespaceOwner, NamespaceOwnerRepository } from "../repositories/namespace-owner-repository.ts";
import { selfAndAncestors } from "./roles.ts";

/**
 * Which team owns a namespace. A namespace is owned by the team owning its nearest
 * registered self-or-ancestor. Cached whole for a short time (there are few namespaces
 * and every request asks); writes through this process invalidate it at once.
 */
const TTL_MS = 2_000;
/** A forced reload is skipped when the cache is younger than this (bounds the load denials can cause). */
const MIN_REFRESH_MS = 100;

export class NamespaceDirectory {
  private owners: Map<string, NamespaceOwner> | null = null;
  private loadedAt = 0;
  private loading: Promise<Map<string, NamespaceOwner>> | null = null;

  constructor(private readonly repository: NamespaceOwnerRepository) {}

  invalidate(): void {
    this.owners = null;
  }

  /**
   * Reloads unless just loaded. Another replica may have created or re-owned a namespace
   * since our last load: before refusing a call (or calling a namespace unknown), the
   * authorizer looks again, so a namespace created through one replica is usable
   * through every replica at once.
   */
  async refresh(): Promise<void> {
    if (this.owners && Date.now() - this.loadedAt < MIN_REFRESH_MS) return;
    this.owners = null;
    await this.load();
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

  private async load(): Promise<Map<string, NamespaceOwner>> {
    if (this.owners && Date.now() - this.loadedAt < TTL_MS) return this.owners;
    this.loading ??= this.repository
      .listAll()
      .then((rows) => {
        this.owners = new Map(rows.map((r) => [r.name, r]));
        this.loadedAt = Date.now();
        return this.owners;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
