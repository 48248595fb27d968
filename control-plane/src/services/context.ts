import type { Authenticator } from "../auth/authenticator.ts";
import type { JwtIssuer } from "../auth/jwt.ts";
import type { Authorizer } from "../authz/authorizer.ts";
import type { NamespaceDirectory } from "../authz/namespace-directory.ts";
import type { Db } from "../db/prisma.ts";
import type { Logger } from "../logger.ts";
import type { AuditRepository } from "../repositories/audit-repository.ts";

/** What every service may use. Built once in app.ts. */
export interface ServiceDeps {
  readonly db: Db;
  readonly logger: Logger;
  readonly audit: AuditRepository;
  readonly authorizer: Authorizer;
  readonly authenticator: Authenticator;
  readonly namespaces: NamespaceDirectory;
  readonly jwt: JwtIssuer;
}

/** Who did it, for audit events. */
export interface Actor {
  readonly subject: string;
  readonly subjectKind: string;
  readonly requestId?: string;
}

/**
 * The control plane acting by itself: the scheduler starting a slot's execution, an
 * upstream's end starting a downstream flow, a `core.subflow` task starting its child.
 * Audited with subject kind `system`, never confused with a service account (whose
 * names cannot contain `:`).
 */
export const SYSTEM_ACTORS = {
  scheduler: { subject: "system:scheduler", subjectKind: "system" },
  flowTrigger: { subject: "system:flow-trigger", subjectKind: "system" },
  subflow: { subject: "system:subflow", subjectKind: "system" },
} as const satisfies Record<string, Actor>;
