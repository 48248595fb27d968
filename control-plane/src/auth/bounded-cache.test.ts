import { describe, expect, it } from "vitest";
import { BoundedCache } from "./bounded-cache.ts";

describe("BoundedCache (the memory of unknown keys)", () => {
  it("never holds more than its maximum: random keys push out the least recently used", () => {
    const cache = new BoundedCache<true>(3, 60_000);
    for (let i = 0; i < 1_000; i++) cache.set(`k${i}`, true);
    expect(cache.size).toBe(3);
    expect([cache.get("k996"), cache.get("k997"), cache.get("k998"), cache.get("k999")]).toEqual([undefined, true, true, true]);
  });

  it("a used entry stays while newer unused ones go", () => {
    const cache = new BoundedCache<number>(2, 60_000);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("forgets an entry once its time is up, however often it was read", () => {
    let now = 0;
    const cache = new BoundedCache<true>(10, 5_000, () => now);
    cache.set("k", true);
    now = 4_999;
    expect(cache.get("k")).toBe(true);
    now = 5_000;
    expect(cache.get("k")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("clear forgets everything", () => {
    const cache = new BoundedCache<true>(10, 5_000);
    cache.set("k", true);
    cache.clear();
    expect(cache.get("k")).toBeUndefined();
  });
});
