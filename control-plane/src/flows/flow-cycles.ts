/**
 * Names the cycle a flow would close: the shortest path from the flow, through what it
 * listens to or calls, back to itself. Pure, so it runs on the edges the database
 * returned (the reachable part of the graph only).
 */
export interface Dependency {
  /** The flow that declares the reference ("ns/id"). */
  readonly from: string;
  /** What it listens to or calls ("ns/id"). */
  readonly to: string;
  readonly kind: string;
}

export function findCycle(self: string, dependencies: readonly Dependency[]): { path: string[]; kinds: string[] } | null {
  const out = new Map<string, Dependency[]>();
  for (const d of dependencies) (out.get(d.from) ?? out.set(d.from, []).get(d.from)!).push(d);
  const previous = new Map<string, Dependency>();
  const queue = [self];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const d of out.get(node) ?? []) {
      if (d.to === self) {
        const path: Dependency[] = [d];
        for (let at = d.from; at !== self; ) {
          const p = previous.get(at)!;
          path.unshift(p);
          at = p.from;
        }
        return { path: [self, ...path.map((p) => p.to)], kinds: path.map((p) => p.kind) };
      }
      if (!seen.has(d.to)) {
        seen.add(d.to);
        previous.set(d.to, d);
        queue.push(d.to);
      }
    }
  }
  return null;
}

/** "a → b → c → a", each arrow meaning "triggers on or calls as a subflow"; long cycles are elided in the middle. */
export function describeCycle(cycle: { path: string[] }, max = 12): string {
  const p = cycle.path;
  if (p.length <= max) return p.join(" → ");
  const head = p.slice(0, Math.ceil(max / 2));
  const tail = p.slice(p.length - Math.floor(max / 2));
  return `${head.join(" → ")} → … ${p.length - head.length - tail.length} more … → ${tail.join(" → ")}`;
}
