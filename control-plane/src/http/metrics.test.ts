import { describe, expect, it } from "vitest";
import { ROUTE_LOCAL, routeLabel, routeTemplate } from "./metrics.ts";

const req = (baseUrl: string, path?: string) => ({ baseUrl, route: path === undefined ? undefined : { path } });

describe("route labels", () => {
  it("join the sub-router's mount path and the route's own path; a resource's root is the mount path", () => {
    expect(routeTemplate(req("/api/v1/teams", "/:name"))).toBe("/api/v1/teams/:name");
    expect(routeTemplate(req("/api/v1/teams", "/"))).toBe("/api/v1/teams");
    expect(routeTemplate(req("", "/healthz"))).toBe("/healthz");
    expect(routeTemplate(req("/api/v1"))).toBeUndefined();
  });

  it("prefer the template recorded when the route matched: after an error express has reset baseUrl to the app's", () => {
    // What the error handler sees once an error left the /teams sub-router.
    const afterError = req("", "/:name");
    expect(routeLabel(afterError, { locals: { [ROUTE_LOCAL]: "/api/v1/teams/:name" } })).toBe("/api/v1/teams/:name");
    expect(routeLabel(req("/api/v1/teams", "/"), { locals: {} })).toBe("/api/v1/teams");
    expect(routeLabel(req(""), { locals: {} })).toBe("unmatched");
  });
});
