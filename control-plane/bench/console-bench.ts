/**
 * `npm run bench:console` (or `npm run bench -- console`): the web console on a 40-team,
 * 2,000-flow mesh (issue 14, "Measure it"), in Debian's headless Chromium against a real
 * `meshplane serve`, each figure beside a floor measured in the same run:
 *   - the home page (mesh map): navigation start → the map's size-guard view or its first
 *     flow node visible (the page says which), and a one-team selection (50 flows) drawn;
 *   - the console's JavaScript, gzip (node:zlib, default level), as the page loads it;
 *   - the API calls the home page makes (requests to /api/v1).
 * Every visit is a fresh browser context (cold cache), the token put in sessionStorage
 * before the page's scripts run, as after a sign-in. Runs: median of RUNS.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext } from "playwright-core";
import { CONSOLE_DIR } from "../src/http/console.ts";
import { launchChromium } from "../test/console/browser.ts";
import { startServer } from "../test/support/server.ts";
import { HttpPool } from "./http-pool.ts";

const TEAMS = 40;
const FLOWS_PER_TEAM = 50;
const DOMAINS = 8; // namespaces dom1.team01 … dom8.team40: one root namespace per team, as teams own their subtree
const CONCURRENCY = 6;
const RUNS = Number(process.env["BENCH_CONSOLE_RUNS"] ?? 3);

const team = (t: number) => `team${String(t + 1).padStart(2, "0")}`;
const namespaceOf = (t: number) => `dom${(t % DOMAINS) + 1}.${team(t)}`;
const flowId = (j: number) => `flow_${String(j).padStart(2, "0")}`;

/** Flow j of team t: triggered by flow j-1 of its own team; every tenth also by flow j-1 of the next team (a cross-team edge). */
function flowYaml(t: number, j: number): string {
  const ns = namespaceOf(t);
  const ups = j === 0 ? [] : [[ns, flowId(j - 1)], ...(j % 10 === 5 ? [[namespaceOf((t + 1) % TEAMS), flowId(j - 1)]] : [])];
  const lines = [`id: ${flowId(j)}`, `namespace: ${ns}`, "tasks:", "  - { id: log, type: core.log, message: done }"];
  if (ups.length > 0) lines.push("triggers:", "  - id: after_upstream", "    type: flow", "    upstream:", ...ups.map(([n, f]) => `      - { namespace: ${n}, flowId: ${f} }`), "    states: [SUCCESS]");
  return `${lines.join("\n")}\n`;
}

/** Runs `jobs` with CONCURRENCY requests in flight; any refusal stops the bench with its answer. */
async function batch(jobs: (() => Promise<{ status: number; body: unknown }>)[], what: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const r = await jobs[i]!();
      if (r.status >= 300) throw new Error(`${what} #${i}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function putYaml(base: string, token: string, path: string, yaml: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" }, body: yaml });
  return { status: res.status, body: await res.text() };
}

async function registerMesh(api: string, adminKey: string): Promise<void> {
  const pool = new HttpPool(api, adminKey, CONCURRENCY);
  try {
    const ts = Array.from({ length: TEAMS }, (_, t) => t);
    await batch(ts.map((t) => () => pool.request("POST", "/teams", { name: team(t) })), "team");
    await batch(ts.map((t) => () => pool.request("POST", "/namespaces", { name: namespaceOf(t), ownerTeam: team(t) })), "namespace");
    // The next team's flows trigger this team's: a grant from each upstream namespace to its downstream one.
    await batch(ts.map((t) => () => pool.request("POST", "/trigger-grants", { upstreamNamespace: namespaceOf((t + 1) % TEAMS), downstreamNamespace: namespaceOf(t), kinds: ["trigger"] })), "trigger grant");
    const flows = ts.flatMap((t) => Array.from({ length: FLOWS_PER_TEAM }, (_, j) => [t, j] as const)).sort((a, b) => a[1] - b[1]);
    await batch(flows.map(([t, j]) => () => putYaml(api, adminKey, `/flows/${namespaceOf(t)}/${flowId(j)}`, flowYaml(t, j))), "flow");
  } finally {
    pool.close();
  }
}

/** Sum of meshplane_http_request_duration_seconds_sum over the API's routes: the server's own time. */
async function serverSeconds(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const m of text.matchAll(/^meshplane_http_request_duration_seconds_sum\{([^}]*)\} (\S+)$/gm)) if (m[1]!.includes('route="/api/v1')) total += Number(m[2]);
  return total;
}

interface Visit { ms: number; shown: "size guard" | "flow nodes" | "sign-in form"; apiCalls: number; apiSpanMs: number; serverMs: number; scripts: string[] }

// Runs in the page before its scripts: notes, on each animation frame, when each view first becomes visible.
const WATCH = `(() => {
  const seen = {};
  const probe = () => {
    for (const [name, sel] of [["size guard", ".mesh .guard"], ["flow nodes", ".react-flow__node.flow-node"], ["sign-in form", "input[type=password]"]]) {
      const el = document.querySelector(sel);
      if (!(name in seen) && el && el.checkVisibility()) seen[name] = performance.now();
    }
    window.__seen = seen;
    requestAnimationFrame(probe);
  };
  requestAnimationFrame(probe);
})();`;

async function visit(browser: Browser, url: string, token: { token: string; expiresAt: number } | null, metricsUrl: string): Promise<Visit> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    if (token) await context.addInitScript(`sessionStorage.setItem("meshplane.token", ${JSON.stringify(JSON.stringify(token))});`);
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    let apiCalls = 0;
    const scripts: string[] = [];
    page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/v1")) apiCalls++; if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname); });
    const before = await serverSeconds(metricsUrl);
    await page.goto(url);
    const want = token ? ["size guard", "flow nodes"] : ["sign-in form"];
    await page.waitForFunction((names) => names.some((n) => (window as any).__seen?.[n] !== undefined), want, { timeout: 60_000 });
    // Everything the page asked for has answered (the home page's calls go out at once, then stop).
    await page.waitForLoadState("networkidle");
    const seen = (await page.evaluate(() => (window as any).__seen)) as Record<string, number>;
    const shown = want.filter((n) => seen[n] !== undefined).sort((a, b) => seen[a]! - seen[b]!)[0] as Visit["shown"];
    const span = await page.evaluate(() => {
      const calls = performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname.startsWith("/api/v1")) as PerformanceResourceTiming[];
      return calls.length ? Math.max(...calls.map((c) => c.responseEnd)) - Math.min(...calls.map((c) => c.startTime)) : 0;
    });
    const after = await serverSeconds(metricsUrl);
    return { ms: seen[shown]!, shown, apiCalls, apiSpanMs: span, serverMs: (after - before) * 1000, scripts };
  } finally {
    await context.close();
  }
}

/** A page with nothing to run, from the same server: the browser's own cost of a navigation. */
async function blankPage(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    return await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const started = performance.now();
  const server = await startServer({ env: { MESHPLANE_RATE_LIMIT_PER_MINUTE: "10000000", MESHPLANE_LOG_LEVEL: "error", MESHPLANE_CHECK_RESPONSES: "0" } });
  let browser: Browser | undefined;
  try {
    const seedStart = performance.now();
    await registerMesh(server.api, server.adminKey);
    process.stderr.write(`bench: registered ${TEAMS} teams, ${TEAMS} grants, ${TEAMS * FLOWS_PER_TEAM} flows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);
    const auth = await fetch(`${server.api}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: server.adminKey }) });
    if (!auth.ok) throw new Error(`POST /auth/token: ${auth.status} ${await auth.text()}`);
    const { access_token, expires_in } = (await auth.json()) as { access_token: string; expires_in: number };
    const token = { token: access_token, expiresAt: Date.now() + expires_in * 1000 };
    const metrics = `${server.url}/metrics`;

    browser = await launchChromium();
    const home: Visit[] = [];
    const teamView: Visit[] = [];
    const signIn: Visit[] = [];
    const blank: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      blank.push(await blankPage(browser, `${server.url}/healthz`));
      signIn.push(await visit(browser, `${server.url}/`, null, metrics));
      home.push(await visit(browser, `${server.url}/`, token, metrics));
      teamView.push(await visit(browser, `${server.url}/?select=${encodeURIComponent(`team:${team(0)}`)}`, token, metrics));
    }

    // The JavaScript the console's pages load: the entry of dist/index.html and every chunk a visit asked for.
    const entry = [...readFileSync(join(CONSOLE_DIR, "index.html"), "utf8").matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const scripts = [...new Set([...entry, ...home.flatMap((v) => v.scripts), ...teamView.flatMap((v) => v.scripts)])].filter((p) => p.startsWith("/assets/"));
    const gzipBytes = scripts.reduce((sum, p) => sum + gzipSync(readFileSync(join(CONSOLE_DIR, p))).length, 0);
    const rawBytes = scripts.reduce((sum, p) => sum + readFileSync(join(CONSOLE_DIR, p)).length, 0);

    const h = home[Math.floor(RUNS / 2)]!;
    const homeMs = median(home.map((v) => v.ms));
    const teamMs = median(teamView.map((v) => v.ms));
    const calls = Math.max(...home.map((v) => v.apiCalls));
    const rows: [string, string, string, string, boolean | null][] = [
      [`home page, ${TEAMS * FLOWS_PER_TEAM} flows: navigation → ${h.shown} visible`, `${homeMs.toFixed(0)} ms`, "≤ 2 s", `blank page ${median(blank).toFixed(0)} ms; sign-in page ${median(signIn.map((v) => v.ms)).toFixed(0)} ms; its API calls ${median(home.map((v) => v.apiSpanMs)).toFixed(0)} ms (server ${median(home.map((v) => v.serverMs)).toFixed(0)} ms)`, homeMs <= 2000],
      [`one team selected (${FLOWS_PER_TEAM} flows): navigation → ${teamView[0]!.shown} visible`, `${teamMs.toFixed(0)} ms`, "≤ 2 s", `its API calls ${median(teamView.map((v) => v.apiSpanMs)).toFixed(0)} ms`, teamMs <= 2000],
      ["console JavaScript, gzip", `${(gzipBytes / 1000).toFixed(0)} kB`, "≤ 400 kB", `${scripts.length} file(s), ${(rawBytes / 1000).toFixed(0)} kB before gzip`, gzipBytes <= 400_000],
      ["API calls of the home page", String(calls), "a handful (≤ 10)", `${TEAMS} root namespaces; sign-in page: ${Math.max(...signIn.map((v) => v.apiCalls))}`, calls <= 10],
    ];
    printTable(rows);
    console.log(`(median of ${RUNS} cold visits each; the whole bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    if (rows.some((r) => r[4] === false)) process.exitCode = 1;
  } finally {
    await browser?.close();
    await server.stop();
  }
}

function printTable(rows: [string, string, string, string, boolean | null][]): void {
  const header = ["measure", "value", "target", "floor (same run)", "met"];
  const lines = rows.map((r) => [r[0], r[1], r[2], r[3], r[4] === null ? "-" : r[4] ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\nweb console, ${TEAMS} teams × ${FLOWS_PER_TEAM} flows (${TEAMS} cross-team grants), headless Chromium 1280×800, embedded PostgreSQL\n`);
  console.log(fmt(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
}

await main();
