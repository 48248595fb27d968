import { cursorKinds, decodeCursor, encodeCursor, type Page } from "../http/pagination.ts";
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

  async list(query: {
    namespace?: string | undefined;
    resourceType?: string | undefined;
    resourceId?: string | undefined;
    subject?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<AuditEventView>> {
    const cursor = decodeCursor(query.cursor, cursorKinds.bigintId);
    const rows = await this.deps.audit.list({
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
}
