import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { component, startComponents } from "./component.ts";

/** A logger whose JSON lines land in `lines`, and components that note what happens to them in `seen`. */
function setup() {
  const lines: any[] = [];
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  const seen: string[] = [];
  const part = (name: string, fail: { start?: boolean; stop?: boolean } = {}) =>
    component(
      name,
      async () => {
        if (fail.start) throw new Error(`${name} cannot start`);
        seen.push(`start ${name}`);
      },
      async (graceMs) => {
        seen.push(`stop ${name} (${graceMs})`);
        if (fail.stop) throw new Error(`${name} cannot stop`);
      },
    );
  return { lines, logger, seen, part };
}

describe("startComponents", () => {
  it("starts in order and stops in reverse, passing the grace on, and logs each start and stop", async () => {
    const { lines, logger, seen, part } = setup();
    const running = await startComponents([part("database"), part("workers"), part("http")], logger);
    await running.stop(5_000);
    expect(seen).toEqual(["start database", "start workers", "start http", "stop http (5000)", "stop workers (5000)", "stop database (5000)"]);
    expect(lines.map((l) => `${l.msg} ${l.component}`)).toEqual([
      "component started database", "component started workers", "component started http",
      "component stopped http", "component stopped workers", "component stopped database",
    ]);
  });

  it("stops once, however often stop is called", async () => {
    const { logger, seen, part } = setup();
    const running = await startComponents([part("a"), part("b")], logger);
    await Promise.all([running.stop(1), running.stop(2)]);
    await running.stop(3);
    expect(seen).toEqual(["start a", "start b", "stop b (1)", "stop a (1)"]);
  });

  it("when a start fails, stops those already started (in reverse, no grace) and throws that error", async () => {
    const { logger, seen, part } = setup();
    await expect(startComponents([part("database"), part("pools"), part("http", { start: true }), part("never")], logger)).rejects.toThrow("http cannot start");
    expect(seen).toEqual(["start database", "start pools", "stop pools (0)", "stop database (0)"]);
  });

  it("a stop that fails does not keep the others from stopping; its error is thrown after, and logged", async () => {
    const { lines, logger, seen, part } = setup();
    const running = await startComponents([part("database"), part("workers", { stop: true }), part("http")], logger);
    await expect(running.stop(10)).rejects.toThrow("workers cannot stop");
    expect(seen.filter((s) => s.startsWith("stop"))).toEqual(["stop http (10)", "stop workers (10)", "stop database (10)"]);
    expect(lines.find((l) => l.msg === "component failed to stop")).toMatchObject({ component: "workers", err: "workers cannot stop", level: 50 });
  });
});
