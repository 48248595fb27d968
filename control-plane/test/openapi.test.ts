import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./support/server.ts";

/** The published OpenAPI document is complete and every $ref in it resolves. */
describe("GET /api/v1/openapi.json", () => {
  let server: TestServer;
  let doc: any;

  beforeAll(async () => {
    server = await startServer();
    doc = await (await fetch(`${server.api}/openapi.json`)).json();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is OpenAPI 3.1 and lists the resources of the spec", () => {
    expect(doc.openapi).toBe("3.1.0");
    for (const path of [
      "/api/v1/teams",
      "/api/v1/service-accounts/{name}/keys",
      "/api/v1/namespaces",
      "/api/v1/role-bindings",
      "/api/v1/trigger-grants",
      "/api/v1/flows/{namespace}/{id}",
      "/api/v1/flows/validate",
      "/api/v1/tables/{namespace}/{dataset}.{table}",
      "/api/v1/audit",
      "/api/v1/whoami",
      "/api/v1/auth/token",
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
  });

  it("documents follow as text/event-stream of its events, kill and restart as 202", () => {
    const follow = doc.paths["/api/v1/executions/{id}/follow"].get;
    expect(Object.keys(follow.responses["200"].content)).toEqual(["text/event-stream"]);
    expect(follow.responses["200"].content["text/event-stream"].schema.$ref).toBe("#/components/schemas/ExecutionFollowEvent");
    expect(follow.responses["200"].description).toContain("503");
    expect(Object.keys(doc.paths["/api/v1/executions/{id}/kill"].post.responses)).toContain("202");
    expect(Object.keys(doc.paths["/api/v1/executions/{id}/restart"].post.responses)).toContain("202");
    const list = doc.paths["/api/v1/executions"].get.parameters.map((p: any) => p.name);
    expect(list).toEqual(expect.arrayContaining(["namespace", "flowId", "state", "since", "until", "label"]));
  });

  it("has no dangling $ref", () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
          if (k === "$ref" && typeof v === "string") refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(5);
    const dangling = refs.filter((r) => {
      if (!r.startsWith("#/")) return true;
      let node: any = doc;
      for (const part of r.slice(2).split("/")) node = node?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
      return node === undefined;
    });
    expect(dangling).toEqual([]);
  });

  it("declares path parameters and security for every protected operation", () => {
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values<any>(ops)) {
        const declared = op.parameters.filter((p: any) => p.in === "path").map((p: any) => p.name);
        expect(declared.sort(), `${path} ${op.operationId}`).toEqual([...names].sort());
        if (op["x-meshplane-access"] !== "public") expect(op.security, op.operationId).toEqual([{ bearer: [] }]);
      }
    }
  });
});
