import { randomUUID } from "node:crypto";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { z } from "zod";
import type { Authenticator } from "../auth/authenticator.ts";
import type { Principal } from "../auth/principal.ts";
import type { Authorizer } from "../authz/authorizer.ts";
import { DomainError, UnauthenticatedError, ValidationError, type FieldProblem } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { ROUTE_LOCAL, routeTemplate } from "./metrics.ts";
import { inputTextProblems } from "../input-text.ts";
import { zodProblems } from "./problem.ts";
import type { AnyRoute, EventStream, Reply, RequestContext, RouteInput } from "./route.ts";

/**
 * Mounts route declarations on an express router: parse → authorize → handle → answer.
 * One sub-router per first path segment (/teams, /flows, …): express tries routes one by
 * one, and a flat list made every request match its path against ~45 patterns (~6 % of
 * a GET's CPU); now it is ~10 prefixes, then the few routes of its resource.
 */
export interface MountOptions {
  /**
   * Check every reply against the declared response schema of its route and status: a
   * mismatch is a 500 naming the route and the zod issue, and an error in the log. On in
   * tests (NODE_ENV=test, MESHPLANE_CHECK_RESPONSES=1), so every test also checks the
   * OpenAPI document's promises; see README "Response checks" for what it costs.
   */
  readonly checkResponses: boolean;
  readonly logger?: Logger;
}

export function mountRoutes(routes: readonly AnyRoute[], authorizer: Authorizer, options: MountOptions = { checkResponses: false }): Router {
  const root = express.Router();
  const groups = new Map<string, Router>();
  for (const def of routes) {
    const segment = /^\/[^/{]+/.exec(def.path)?.[0] ?? "";
    let router = groups.get(segment);
    if (!router) {
      groups.set(segment, (router = express.Router({ mergeParams: true })));
      root.use(segment || "/", router);
    }
    const path = def.path.slice(segment.length).replace(/\{(\w+)\}/g, ":$1") || "/";
    router[def.method](path, async (req: Request, res: Response) => {
      res.locals[ROUTE_LOCAL] = routeTemplate(req);
      const principal = def.access.kind === "public" ? null : requirePrincipal(res);
      const input = parseInput(def, req);
      if (principal) await authorize(def, input, principal, authorizer);
      const ctx: RequestContext = { principal: principal as Principal, requestId: String(res.locals["requestId"]) };
      const reply = await def.handler(input, ctx);
      if (options.checkResponses) checkReply(def, reply, options.logger);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      res.status(reply.status);
      if (reply.stream) await streamEvents(def, reply, req, res, options);
      else if (reply.body === undefined) res.end();
      else if (typeof reply.body === "string") res.send(reply.body);
      else res.json(reply.body);
    });
  }
  return root;
}

/** A reply that breaks its route's declaration: our bug, answered as a 500 that says where. */
export class ResponseSchemaError extends DomainError {
  readonly status = 500;
  readonly type = "response-schema";
  readonly title = "The reply does not match its declared schema";
}

function mismatch(def: AnyRoute, status: number, what: string, logger: Logger | undefined): ResponseSchemaError {
  const where = `${def.method.toUpperCase()} ${def.path}`;
  const error = new ResponseSchemaError(`${where} (${def.operationId}) answered ${status} ${what}; this is a bug of the control plane, not of the request`);
  logger?.error({ route: where, status, problem: what }, "a reply does not match its declared response schema");
  return error;
}

function issuesOf(error: z.ZodError): string {
  return zodProblems(error)
    .slice(0, 5)
    .map((p) => `${p.pointer || "/"}: ${p.message}`)
    .join("; ");
}

function checkReply(def: AnyRoute, reply: Reply, logger: Logger | undefined): void {
  const spec = def.responses[reply.status];
  if (!spec) throw mismatch(def, reply.status, `, a status its declaration does not list (it lists ${Object.keys(def.responses).join(", ")})`, logger);
  if (reply.stream) return; // each event is checked as it is written
  if (!spec.schema) {
    if (reply.body !== undefined) throw mismatch(def, reply.status, "with a body where it declares none", logger);
    return;
  }
  if (reply.body === undefined) throw mismatch(def, reply.status, "without the body it declares", logger);
  const result = spec.schema.safeParse(reply.body);
  if (!result.success) throw mismatch(def, reply.status, `with a body that does not match its schema: ${issuesOf(result.error)}`, logger);
}

/**
 * text/event-stream: headers now, then events until the route's stream returns or the
 * client hangs up. Errors after the headers cannot become a problem+json: the stream
 * says so in an `error` event and closes.
 */
async function streamEvents(def: AnyRoute, reply: Reply, req: Request, res: Response, options: MountOptions): Promise<void> {
  const schema = def.responses[reply.status]?.schema;
  res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
  res.setHeader("X-Accel-Buffering", "no");
  // A stream's connection is not reused: when it ends (or the server stops) the socket goes with it.
  res.setHeader("Connection", "close");
  res.flushHeaders();
  const left = new AbortController();
  res.on("close", () => left.abort());
  const write = (text: string) => void (res.writableEnded || res.write(text));
  const sink: EventStream = {
    event(id, name, data) {
      if (options.checkResponses && schema) {
        const result = schema.safeParse({ event: name, data });
        if (!result.success) throw mismatch(def, reply.status, `an event ${name} that does not match its schema: ${issuesOf(result.error)}`, options.logger);
      }
      write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment: (text) => write(`: ${text.replaceAll("\n", " ")}\n\n`),
  };
  try {
    await reply.stream!(sink, left.signal);
  } catch (error) {
    const problem = error instanceof DomainError ? error.message : `an unexpected error ended the stream; quote request id ${String(res.locals["requestId"])} when reporting it`;
    if (!(error instanceof DomainError)) options.logger?.error({ err: { message: (error as Error)?.message, stack: (error as Error)?.stack }, path: req.path }, "a stream failed");
    write(`event: error\ndata: ${JSON.stringify({ detail: problem })}\n\n`);
  } finally {
    res.end();
  }
}

/** First in /api/v1: every answer, a refusal before authentication too, carries the request id. */
export function tagRequest(req: Request, res: Response, next: NextFunction): void {
  res.locals["requestId"] = sanitizeRequestId(req.headers["x-request-id"]) ?? randomUUID();
  res.setHeader("X-Request-Id", res.locals["requestId"] as string);
  next();
}

/**
 * Runs before rate limiting so limits count per key: resolves the caller if a header
 * is present, and keeps the refusal for routes that need a caller.
 */
export function identify(authenticator: Authenticator) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.locals["principal"] = await authenticator.authenticate(req.headers.authorization);
    } catch (error) {
      res.locals["authError"] = error;
    }
    next();
  };
}

function sanitizeRequestId(value: unknown): string | undefined {
  return typeof value === "string" && /^[A-Za-z0-9._-]{1,100}$/.test(value) ? value : undefined;
}

function requirePrincipal(res: Response): Principal {
  const principal = res.locals["principal"] as Principal | undefined;
  if (principal) return principal;
  throw (res.locals["authError"] as Error | undefined) ?? new UnauthenticatedError("authentication required");
}

function parseInput(def: AnyRoute, req: Request): RouteInput<unknown, unknown, unknown> {
  const problems: FieldProblem[] = [
    ...textProblems(req.params, "/path"),
    ...textProblems(req.query, "/query"),
    ...(def.body ? textProblems(req.body, "", def.selfCheckedText) : []),
  ];
  const params = parsePart(def.params, req.params, "/path", problems);
  const query = parsePart(def.query, { ...(req.query as object) }, "/query", problems);
  let body: unknown;
  if (def.body) {
    if (req.body === undefined) {
      const types = (def.bodyTypes ?? ["application/json"]).join(" or ");
      throw new ValidationError(`a request body is required, with Content-Type ${types}`, [{ pointer: "", message: "missing body" }]);
    }
    body = parsePart(def.body, req.body, "", problems);
  }
  if (problems.length > 0) {
    throw new ValidationError(
      `the request is invalid: ${problems.map((p) => `${p.pointer || "body"}: ${p.message}`).join("; ")}`,
      problems,
    );
  }
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
  return { params, query, body, headers };
}

/** Text that could not be stored as sent (input-text.ts), found before any schema sees it. */
function textProblems(value: unknown, prefix: string, skip?: readonly string[]): FieldProblem[] {
  return inputTextProblems(value, skip).map((p) => ({ pointer: prefix + p.pointer, message: p.message }));
}

function parsePart(schema: z.ZodType | undefined, value: unknown, prefix: string, problems: FieldProblem[]): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push(...zodProblems(result.error, prefix));
  return undefined;
}

async function authorize(def: AnyRoute, input: RouteInput<unknown, unknown, unknown>, principal: Principal, authorizer: Authorizer) {
  const access = def.access;
  switch (access.kind) {
    case "authenticated":
      return;
    case "platform-admin":
      return authorizer.requirePlatformAdmin(principal, access.action);
    case "namespace": {
      const namespace = await access.namespace(input);
      if (namespace === null) return authorizer.requirePlatformAdmin(principal, `${def.method.toUpperCase()} ${def.path} without a namespace`);
      return authorizer.require(principal, access.permission, namespace);
    }
  }
}
