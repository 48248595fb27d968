import { describe, expect, it } from "vitest";
import { Admission } from "./admission.ts";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const turn = () => new Promise((r) => setImmediate(r));

describe("admission", () => {
  it("runs at most `limit` at once, the others in arrival order as holders finish, even when one fails", async () => {
    const admission = new Admission(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      admission.run(async () => {
        started.push(i);
        await g.promise;
        if (i === 1) throw new Error("one fails");
        return i;
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await expect(runs[1]).rejects.toThrow("one fails");
    await turn();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    await Promise.all([runs[0], runs[2]]);
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3]!.resolve();
    gates[4]!.resolve();
    expect(await Promise.all([runs[3], runs[4]])).toEqual([3, 4]);
    // All slots free again: the next one starts at once.
    let ran = false;
    await admission.run(async () => void (ran = true));
    expect(ran).toBe(true);
  });
});
