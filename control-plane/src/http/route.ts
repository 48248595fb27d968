import type { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import type { Permission } from "../authz/roles.ts";

/**
 * One declaration per endpoint: what it takes (zod), who may call it, what it answers.
 * The router, the authorization check, the OpenAPI document and the RBAC matrix test
 * are all driven by these declarations, so none of them can drift from the others.
 */
export type Access<I> =
  | { readonly kind: "public" }
  | { readonly kind: "authenticated" }
  | { readonly kind: "platform-admin"; readonly action: string }
  | {
      readonly kind: "namespace";
      readonly permission: Permission;
      /** The namespace the call acts on; null means the call is global (platform-admin). */
      readonly namespace: (input: I) => string | null | Promise<string | null>;
    };

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface RequestContext {
  /** Set for every access kind but `public`. */
  readonly principal: Principal;
  readonly requestId: string;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * A streamed answer (server-sent events) instead of a body: the router sends the
   * headers, then lets `stream` write until it returns or the client leaves (`signal`).
   * Each event's data is checked against the response schema like a body.
   */
  readonly stream?: (sink: EventStream, signal: AbortSignal) => Promise<void>;
}

/** text/event-stream, one event or comment at a time. */
export interface EventStream {
  event(id: string, name: string, data: unknown): void;
  comment(text: string): void;
}

export interface ResponseSpec {
  readonly description: string;
  /** For a stream: the schema of each event's data. */
  readonly schema?: z.ZodType;
  /** Default application/json. */
  readonly contentType?: string;
}

export interface RouteDefinition<P = unknown, Q = unknown, B = unknown> {
  readonly method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI style, relative to /api/v1: `/flows/{namespace}/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly access: Access<RouteInput<P, Q, B>>;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /** Media types the body may come as (default application/json). */
  readonly bodyTypes?: readonly string[];
  /**
   * JSON pointers of body strings that the handler's own parser checks for NUL and
   * unpaired surrogates (the flow YAML, reported with line and column); the router
   * checks every other string of params, query and body (input-text.ts).
   */
  readonly selfCheckedText?: readonly string[];
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  readonly handler: (input: RouteInput<P, Q, B>, ctx: RequestContext) => Promise<Reply>;
}

/** Identity function that keeps the zod types flowing into the handler. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  definition: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  return definition;
}

export type AnyRoute = RouteDefinition<any, any, any>;
