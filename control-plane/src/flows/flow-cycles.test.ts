import { describe, expect, it } from "vitest";
import { UNREADABLE_FLOWS as H, visibleCyclePath } from "./flow-cycles.ts";

const readableIn = (...namespaces: string[]) => (from: string, i: number) => i === 0 || namespaces.includes(from.split("/")[0]!);

describe("visibleCyclePath", () => {
  it("keeps a cycle the caller may read whole", () => {
    expect(visibleCyclePath(["a/s", "a/x", "a/y", "a/s"], readableIn("a"))).toEqual(["a/s", "a/x", "a/y", "a/s"]);
    expect(visibleCyclePath(["a/s", "a/s"], readableIn())).toEqual(["a/s", "a/s"]);
  });

  it("replaces each run of arrows declared in unreadable namespaces by one placeholder, whatever its length", () => {
    expect(visibleCyclePath(["a/s", "p/x", "p/y", "p/z", "a/s"], readableIn("a"))).toEqual(["a/s", "p/x", H, "a/s"]);
    expect(visibleCyclePath(["a/s", "p/x", "a/s"], readableIn("a"))).toEqual(["a/s", "p/x", H, "a/s"]);
  });

  it("shows a readable flow with the arrow it declares, and nothing of the hidden run before it", () => {
    expect(visibleCyclePath(["a/s", "p/x", "p/y", "b/r", "a/s"], readableIn("a", "b"))).toEqual(["a/s", "p/x", H, "b/r", "a/s"]);
    expect(visibleCyclePath(["a/s", "b/r", "p/x", "b/t", "a/s"], readableIn("a", "b"))).toEqual(["a/s", "b/r", "p/x", H, "b/t", "a/s"]);
  });
});
