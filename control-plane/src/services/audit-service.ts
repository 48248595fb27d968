import type { Principal } from "../auth/principal.ts";
import { cursorKinds, decodeCursor, encodeCursor, type Page } from "../pagination.ts";
import { namespaceRepository } from "../repositories/namespace-repository.ts";
import type { ServiceDeps } from "./context.ts";

export interface AuditEventView {
  id: string;
  at: string;
  subject: string;
  subjectKind: string;
  action: string;
  resourceType: string;
  resourceId: string;
  namespace: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** Reading the audit log; writing happens inside each service's own transaction. */
export class AuditService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Platform admins read every event. Anyone else reads a namespace subtree's, and only
   * from the current life of each namespace: an event counts if it happened at or after
   * the creation of every registered namespace containing it (the queried one's
   * registered ancestors, itself, its registered descendants). A namespace deleted and
   * created again for another team starts with no history for its new owner.
   */
  async list(principal: Principal, query: {
    namespace?: string | undefined;
    resourceType?: string | undefined;
    resourceId?: string | undefined;
    subject?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<AuditEventView>> {
    const cursor = decodeCursor(query.cursor, cursorKinds.bigintId);
    const history = principal.platformAdmin || !query.namespace ? {} : await this.currentLives(query.namespace);
    if (history === null) return { items: [], nextCursor: null };
    const rows = await this.deps.audit.list({
      ...history,
      ...(query.namespace ? { namespaces: [query.namespace] } : {}),
      ...(query.resourceType ? { resourceType: query.resourceType } : {}),
      ...(query.resourceId ? { resourceId: query.resourceId } : {}),
      ...(query.subject ? { subject: query.subject } : {}),
      ...(cursor !== undefined ? { beforeId: cursor } : {}),
      limit: query.limit,
    });
    const items = rows.slice(0, query.limit).map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      subject: r.subject,
      subjectKind: r.subjectKind,
      action: r.action,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      namespace: r.namespace,
      before: r.before,
      after: r.after,
      requestId: r.requestId,
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
  }

  /** null: no registered namespace at or above it, so no current life to read. */
  private async currentLives(namespace: string): Promise<{ notBefore: Date; notBeforeIn: { namespace: string; since: Date }[] } | null> {
    const { above, below } = await namespaceRepository.lineage(this.deps.db, namespace);
    if (above.length === 0) return null;
    const notBefore = new Date(Math.max(...above.map((n) => n.createdAt.getTime())));
    return { notBefore, notBeforeIn: below.map((n) => ({ namespace: n.name, since: n.createdAt })) };
  }
}
