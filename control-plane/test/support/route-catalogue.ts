import { allRoutes } from "../../src/http/routes/index.ts";
import type { AnyRoute } from "../../src/http/route.ts";

/**
 * The endpoints the server declares (`allRoutes()` of src/http/routes/index.ts), read
 * without a database: the route factories only keep their services for the handlers,
 * so a stand-in object that answers every property with itself is enough to build the
 * list. Used by the RBAC matrix to fail when a route has no row.
 */
export interface DeclaredRoute {
  /** `GET /flows/{namespace}/{id}`: method and OpenAPI-style path, relative to /api/v1. */
  readonly key: string;
  readonly access: AnyRoute["access"]["kind"];
  readonly permission?: string;
}

export function declaredRoutes(): DeclaredRoute[] {
  const standIn: any = new Proxy(function standIn() {}, {
    get: (_target, property) => (property === "then" ? undefined : standIn),
    apply: () => {
      throw new Error("a route factory called a service while building the route list");
    },
  });
  return allRoutes(standIn).map((r) => ({
    key: `${r.method.toUpperCase()} ${r.path}`,
    access: r.access.kind,
    ...(r.access.kind === "namespace" ? { permission: r.access.permission } : {}),
  }));
}
