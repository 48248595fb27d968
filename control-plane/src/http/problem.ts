import type { ErrorRequestHandler } from "express";
import { pointerOf } from "@meshplane/rules";
import { z } from "zod";
import { isTransientDatabaseError } from "../db/errors.ts";
import type { Principal } from "../auth/principal.ts";
import { DomainError, ForbiddenError, PayloadTooLargeError, ServiceUnavailableError, UnauthenticatedError, ValidationError, type FieldProblem } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { routeLabel } from "./metrics.ts";

/** The one mapping from errors to application/problem+json (RFC 9457). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ pointer: z.string(), message: z.string(), line: z.number().optional(), column: z.number().optional() }))
      .optional(),
  })
  .meta({ id: "Problem" });

export function problemType(slug: string): string {
  return `urn:meshplane:problem:${slug}`;
}

/** Counts 401 and 403 answers (HttpMetrics). */
export interface RefusalCounter {
  countRefusal(status: 401 | 403, reason: string): void;
}

export function errorHandler(logger: Logger, refusals?: RefusalCounter): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const mapped = toDomainError(error);
    const requestId = String(res.locals["requestId"] ?? "");
    if (mapped instanceof UnauthenticatedError || mapped instanceof ForbiddenError) {
      const status = mapped.status as 401 | 403;
      const reason = refusalReason(mapped);
      refusals?.countRefusal(status, reason);
      // Who was refused what, and why; never the Authorization header or a body (a
      // /auth/token body carries the key): only fields picked here are written.
      const subject = (res.locals["principal"] as Principal | undefined)?.subject;
      logger.info({ status, reason, subject, method: req.method, route: routeLabel(req, res), requestId, detail: mapped.message }, "request refused");
    }
    if (!mapped) {
      logger.error({ err: { message: (error as Error)?.message, stack: (error as Error)?.stack }, requestId, path: req.path }, "unhandled error");
    } else if (mapped instanceof ServiceUnavailableError) {
      // The caller is told to retry; the operator still needs to hear about the database.
      logger.warn({ err: { message: (error as Error)?.message, code: (error as { code?: unknown })?.code }, requestId, path: req.path }, "database unavailable");
      res.setHeader("Retry-After", String(mapped.retryAfterSeconds));
    }
    const e =
      mapped ??
      ({ status: 500, type: "internal", title: "Internal error", message: `an unexpected error occurred; quote request id ${requestId} when reporting it`, extra: {} } as const);
    res
      .status(e.status)
      .type("application/problem+json")
      .json({
        type: problemType(e.type),
        title: e.title,
        status: e.status,
        detail: e.message,
        instance: req.originalUrl,
        requestId,
        ...e.extra,
      });
  };
}

/** A fixed word per refusal: the authenticator's reason for a 401, the permission lacked (or "policy") for a 403. */
function refusalReason(error: UnauthenticatedError | ForbiddenError): string {
  if (error instanceof UnauthenticatedError) return (error as { reason?: string }).reason ?? "unauthenticated";
  const permission = error.extra["permission"];
  return typeof permission === "string" ? permission : "policy";
}

/** Errors that are not ours get our shape: body-parser's and express's for bodies, and the database's transient failures. */
function toDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  const e = error as { type?: string; status?: number; message?: string; limit?: number } | undefined;
  if (e?.type === "entity.too.large") {
    return new PayloadTooLargeError(`the request body exceeds the limit of ${e.limit} bytes (MESHPLANE_BODY_LIMIT_BYTES)`);
  }
  if (e?.type === "entity.parse.failed") {
    return new ValidationError(`the body is not valid JSON: ${e.message}`, [{ pointer: "", message: e.message ?? "malformed JSON" }]);
  }
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") {
    return new ValidationError(`unsupported body encoding: ${e.message}`);
  }
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    return new ValidationError(e.message ?? "bad request");
  }
  // After the body errors: a client that hangs up mid-body also reports ECONNRESET.
  if (isTransientDatabaseError(error)) {
    return new ServiceUnavailableError("the database did not answer in time or is unreachable; retry the request in a moment (the Retry-After header says when)", 1);
  }
  return null;
}

/** zod issues → our field problems, as JSON pointers (RFC 6901). */
export function zodProblems(error: z.ZodError, prefix = ""): FieldProblem[] {
  return unionBranches(error.issues, []).map((issue) => ({
    pointer: pointerOf(prefix, ...issue.path.map(String)),
    message: issue.message,
  }));
}

type PathIssue = { path: PropertyKey[]; message: string };

/**
 * A body that matches no member of a union (the YAML text, or `{source, …}` as JSON)
 * would only say "Invalid input": report the member that got furthest into the body,
 * i.e. the problems of the shape the client evidently meant.
 */
function unionBranches(issues: readonly z.core.$ZodIssue[], base: PropertyKey[]): PathIssue[] {
  return issues.flatMap((issue): PathIssue[] => {
    const path = [...base, ...issue.path];
    if (issue.code !== "invalid_union" || !issue.errors?.length) return [{ path, message: issue.message }];
    const branches = issue.errors.map((branch) => unionBranches(branch, path));
    const depth = (b: PathIssue[]) => Math.max(...b.map((i) => i.path.length));
    const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    return depth(best) > path.length ? best : [{ path, message: issue.message }];
  });
}
