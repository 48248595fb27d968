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
