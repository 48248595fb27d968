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

/** Stands for one or more flows (and the arrows between them) the caller may not see. */
export const UNREADABLE_FLOWS = "(flows you cannot read)";

/**
 * The cycle's path with every arrow the caller may not see replaced, one placeholder per
 * run: `visible(from, i)` says whether arrow i (`path[i] → path[i+1]`, declared in
 * `path[i]`'s source) may be printed. A flow appears only as an end of a visible arrow,
 * and a run's length is not told.
 */
export function visibleCyclePath(path: readonly string[], visible: (from: string, index: number) => boolean): string[] {
  const out = [path[0]!];
  for (let i = 0; i + 1 < path.length; i++) {
    if (visible(path[i]!, i)) {
      if (out[out.length - 1] !== path[i]) out.push(path[i]!);
      out.push(path[i + 1]!);
    } else if (out[out.length - 1] !== UNREADABLE_FLOWS) out.push(UNREADABLE_FLOWS);
  }
  if (out[out.length - 1] === UNREADABLE_FLOWS) out.push(path[path.length - 1]!);
  return out;
}
