/**
 * Server-side latency from the control plane's own Prometheus histogram
 * (meshplane_http_request_duration_seconds): the time from the request reaching express
 * to the response being written, without the load generator, which shares this
 * machine's two cores, in the way. Percentiles are bucket upper bounds ("≤ X ms").
 */
export type Histogram = Map<number, number>; // upper bound (s) → cumulative count

export async function scrapeHistogram(metricsUrl: string, route: string, method: string): Promise<Histogram> {
  const text = await (await fetch(metricsUrl)).text();
  const buckets: Histogram = new Map();
  const pattern = /^meshplane_http_request_duration_seconds_bucket\{([^}]*)\} (\d+(?:\.\d+)?)$/;
  for (const line of text.split("\n")) {
    const m = pattern.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (labels["route"] !== route || labels["method"] !== method) continue;
    const le = labels["le"] === "+Inf" ? Infinity : Number(labels["le"]);
    buckets.set(le, Number(m[2]));
  }
  return buckets;
}

/** The percentile `p` (0-1) of the requests counted between two scrapes, in ms. */
export function percentileBetween(before: Histogram, after: Histogram, p: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return NaN;
  for (const le of bounds) {
    const count = (after.get(le) ?? 0) - (before.get(le) ?? 0);
    if (count >= p * total) return le * 1000;
  }
  return Infinity;
}
