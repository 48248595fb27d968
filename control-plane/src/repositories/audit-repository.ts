import { Prisma, type Db } from "../db/prisma.ts";
import { literalPrefix } from "./like.ts";

export interface AuditEntry {
  readonly subject: string;
  readonly subjectKind: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly namespace?: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly requestId?: string;
}

export interface AuditFilter {
  /** Events in these namespaces' subtrees only (undefined = all: admins). */
  readonly namespaces?: readonly string[];
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly subject?: string;
  /**
   * Events of earlier lives of namespaces left out (non-admin readers): only events at or
   * after `notBefore`, and, inside each listed subtree, at or after its `since`.
   */
  readonly notBefore?: Date;
  readonly notBeforeIn?: readonly { readonly namespace: string; readonly since: Date }[];
  /** Events with an id below this (pagination, newest first). */
  readonly beforeId?: bigint;
  readonly limit: number;
}

type Tx = Prisma.TransactionClient | Db;

/** Append-only: there is no update or delete here on purpose. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async record(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.auditEvent.create({
      data: {
        subject: entry.subject,
        subjectKind: entry.subjectKind,
        action: entry.action,
        resourceType: entry.resourceType,
        resourceId: entry.resourceId,
        namespace: entry.namespace ?? null,
        before: toJson(entry.before),
        after: toJson(entry.after),
        requestId: entry.requestId ?? null,
      },
    });
  }

  async list(filter: AuditFilter) {
    const scope = filter.namespaces
      ? { OR: filter.namespaces.flatMap((n) => [{ namespace: n }, { namespace: { startsWith: literalPrefix(`${n}.`) } }]) }
      : {};
    const history = [
      ...(filter.notBefore ? [{ at: { gte: filter.notBefore } }] : []),
      ...(filter.notBeforeIn ?? []).map((b) => ({
        NOT: { AND: [{ OR: [{ namespace: b.namespace }, { namespace: { startsWith: literalPrefix(`${b.namespace}.`) } }] }, { at: { lt: b.since } }] },
      })),
    ];
    return this.db.auditEvent.findMany({
      where: {
        ...scope,
        ...(history.length > 0 ? { AND: history } : {}),
        ...(filter.resourceType ? { resourceType: filter.resourceType } : {}),
        ...(filter.resourceId ? { resourceId: filter.resourceId } : {}),
        ...(filter.subject ? { subject: filter.subject } : {}),
        ...(filter.beforeId !== undefined ? { id: { lt: filter.beforeId } } : {}),
      },
      orderBy: { id: "desc" },
      take: filter.limit + 1,
    });
  }
}

function toJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (value === undefined || value === null) return Prisma.DbNull;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
