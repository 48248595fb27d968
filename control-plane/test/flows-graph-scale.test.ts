/**
 * The dependency graph at scale: a chain of 1,200 flows and a fan of 300 on one
 * server. Recursive walks answer in one query each, and the cycle check still finds
 * (and names, elided) a cycle 1,200 flows long.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowYaml, triggerOn } from "./flows-fixtures.ts";
import { ApiClient } from "./support/client.ts";
import { startServer, type TestServer } from "./support/server.ts";

const CHAIN = 1200;
const FAN = 300;
const name = (i: number) => `c${String(i).padStart(4, "0")}`;

describe("the flow graph at scale", () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startServer({ env: { MESHPLANE_RATE_LIMIT_PER_MINUTE: "1000000" } });
    admin = new ApiClient(server.api, server.adminKey);
    await admin.post("/teams", { name: "scale" });
    await admin.post("/namespaces", { name: "scale", ownerTeam: "scale" });
    // References to flows not registered yet are allowed, so the order does not matter.
    const puts: (() => Promise<number>)[] = [];
    for (let i = 0; i < CHAIN; i++) {
      const extra = i === 0 ? "" : triggerOn(["scale", name(i - 1)]);
      puts.push(() => admin.put(`/flows/scale/${name(i)}`, flowYaml("scale", name(i), extra)).then((r) => r.status));
    }
    for (let i = 0; i < FAN; i++) puts.push(() => admin.put(`/flows/scale/fan${i}`, flowYaml("scale", `fan${i}`, triggerOn(["scale", name(0)]))).then((r) => r.status));
    for (let b = 0; b < puts.length; b += 20) {
      const statuses = await Promise.all(puts.slice(b, b + 20).map((p) => p()));
      expect(statuses.every((s) => s === 201)).toBe(true);
    }
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("walks down and up recursively in one request each", async () => {
    let t = performance.now();
    const down = await admin.get(`/flows/scale/${name(0)}/dependencies?direction=down&recursive=true`);
    const downMs = performance.now() - t;
    expect(down.status).toBe(200);
    expect(down.body.nodes).toHaveLength(CHAIN + FAN);
    expect(down.body.edges).toHaveLength(CHAIN + FAN - 1);
    t = performance.now();
    const up = await admin.get(`/flows/scale/${name(CHAIN - 1)}/dependencies?direction=up&recursive=true`);
    const upMs = performance.now() - t;
    expect(up.body.nodes).toHaveLength(CHAIN);
    expect(up.body.edges).toHaveLength(CHAIN - 1);
    expect((await admin.get(`/flows/scale/${name(0)}/dependencies?direction=down`)).body.nodes).toHaveLength(FAN + 2);
    console.log(`dependencies: down over ${CHAIN + FAN} flows ${downMs.toFixed(0)} ms, up over ${CHAIN} flows ${upMs.toFixed(0)} ms`);
    expect(downMs).toBeLessThan(5_000);
  });

  it("refuses the write that would close a 1,200-flow cycle, naming it with the middle elided", async () => {
    const refused = await admin.put(`/flows/scale/${name(0)}`, flowYaml("scale", name(0), triggerOn(["scale", name(CHAIN - 1)])));
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain(`scale/${name(0)} → scale/${name(CHAIN - 1)} → scale/${name(CHAIN - 2)}`);
    expect(refused.body.detail).toMatch(/… \d+ more … → .* → scale\/c0001 → scale\/c0000/);
    expect((await admin.get(`/flows/scale/${name(0)}`)).body.revision).toBe(1);
  });
});
