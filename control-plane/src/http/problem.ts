import type { ErrorRequestHandler } from "express";
import { z } from "zod";
import { isTransientDatabaseError } from "../db/errors.ts";
import { DomainError, PayloadTooLargeError, ServiceUnavailableError, ValidationError, type FieldProblem } from "../errors.ts";
import type { Logger } from "../logger.ts";

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

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const mapped = toDomainError(error);
    const requestId = String(res.locals["requestId"] ?? "");
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
  return error.issues.map((issue) => ({
    pointer: prefix + issue.path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join(""),
    message: issue.message,
  }));
}
