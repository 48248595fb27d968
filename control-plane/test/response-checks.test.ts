/**
 * The router checks every reply against its route's declared response schema when
 * asked to (the test harness always asks: MESHPLANE_CHECK_RESPONSES=1, see
 * support/server.ts): a reply that breaks its declaration is a 500 naming the route
 * and the zod issue, and an error in the log. A real express app on a real port, with
 * routes declared only for this test; no database is involved in the check.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { mountRoutes } from "../src/http/router.ts";
import { errorHandler } from "../src/http/problem.ts";
import { route } from "../src/http/route.ts";
import type { Authorizer } from "../src/authz/authorizer.ts";
import type { Logger } from "../src/logger.ts";

const logged: { fields: any; message: string }[] = [];
const logger = {
  error: (fields: unknown, message: string) => logged.push({ fields, message }),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
} as unknown as Logger;

const thing = z.object({ name: z.string(), size: z.number().int() });
let answer: unknown = { name: "ok", size: 1 };
let status = 200;
const routes = [
  route({
    method: "get", path: "/things", operationId: "getThing", summary: "", tags: [], access: { kind: "public" },
    responses: { 200: { description: "a thing", schema: thing }, 204: { description: "nothing" } },
    handler: async () => ({ status, ...(answer === undefined ? {} : { body: answer }) }),
  }),
];

function serve(checkResponses: boolean): Promise<{ server: Server; url: string }> {
  const app = express();
  app.use(mountRoutes(routes, {} as Authorizer, { checkResponses, logger }));
  app.use(errorHandler(logger));
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

let checked: { server: Server; url: string };
let unchecked: { server: Server; url: string };
beforeAll(async () => {
  checked = await serve(true);
  unchecked = await serve(false);
});
afterAll(async () => {
  await new Promise((r) => checked?.server.close(r));
  await new Promise((r) => unchecked?.server.close(r));
});

async function get(base: string) {
  const res = await fetch(`${base}/things`);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe("response-schema checks", () => {
  it("let a reply that fits its declaration through", async () => {
    answer = { name: "ok", size: 1 };
    status = 200;
    expect(await get(checked.url)).toEqual({ status: 200, body: { name: "ok", size: 1 } });
  });

  it("turn a reply that breaks its schema into a 500 naming the route and the issue, and log it", async () => {
    answer = { name: "ok", size: "big" };
    status = 200;
    logged.length = 0;
    const a = await get(checked.url);
    expect(a.status).toBe(500);
    expect(a.body.type).toBe("urn:meshplane:problem:response-schema");
    expect(a.body.detail).toContain("GET /things (getThing) answered 200");
    expect(a.body.detail).toContain("/size");
    expect(logged.map((l) => l.message)).toContain("a reply does not match its declared response schema");
    // Without the check the same reply goes out as it is.
    expect((await get(unchecked.url)).status).toBe(200);
  });

  it("refuse a status the route does not declare, and a body where it declares none", async () => {
    answer = { name: "ok", size: 1 };
    status = 201;
    const undeclared = await get(checked.url);
    expect(undeclared.status).toBe(500);
    expect(undeclared.body.detail).toContain("a status its declaration does not list (it lists 200, 204)");
    status = 204;
    const bodied = await get(checked.url);
    expect(bodied.status).toBe(500);
    expect(bodied.body.detail).toContain("with a body where it declares none");
  });
});
