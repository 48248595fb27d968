/** Turns a run into what the quickstart prints: pure functions from data to lines. */
import { relative } from "node:path";
import type { QuickstartRun } from "./quickstart.ts";
import type { FlowView, NamespaceView } from "./summary.ts";
import { meshLines } from "./mesh-report.ts";

/** A path as the user can type it: relative to the current directory when inside it. */
export function shown(path: string, cwd = process.cwd()): string {
  const r = relative(cwd, path);
  return r === "" ? "." : r.startsWith("..") ? path : r;
}

export function summaryLines(run: QuickstartRun): string[] {
  const out: string[] = [];
  const { summary } = run;
  out.push("", "What the control plane holds now (GET /api/v1/flows/{namespace} and /tables/{namespace}):");
  for (const ns of summary.namespaces) out.push("", ...namespaceLines(ns, run));

  out.push("", "Cross-team triggers (a flow runs after another team's flow; the producer's grant allows it):");
  if (summary.crossTeam.length === 0) out.push("  (none)");
  for (const e of summary.crossTeam) {
    const grant = e.grant ? `granted: ${e.grant.upstreamNamespace}${e.grant.upstreamFlow ? `/${e.grant.upstreamFlow}` : ""} → ${e.grant.downstreamNamespace} [${e.grant.kinds.join(", ")}]` : "NO GRANT (registered before a revocation?)";
    out.push(`  ${e.upstream.namespace}/${e.upstream.flowId}  ──▶  ${e.downstream.namespace}/${e.downstream.flowId}`, `      ${grant}`);
  }

  for (const o of run.outcomes.filter((o) => o.result === "refused")) {
    out.push("", `Refused: the ${o.repository.name} repository's terraform plan failed, as its pull request would show it:`);
    // Without the excerpt of cdk.tf.json (the whole flow YAML on one line): the message says it all.
    const lines = o.refusal!.split("\n").filter((l) => !/^\s+\d+:\s/.test(l));
    out.push(...lines.map((l) => `  │ ${l}`.trimEnd()));
  }

  out.push(...meshLines(run.mesh));

  out.push("", `Latest audit events (GET /api/v1/audit, newest first, UTC):`);
  out.push(...columns(summary.audit.map((a) => [a.at.slice(11, 19), a.subject, a.action, `${a.resourceType} ${a.resourceId}`])).map((l) => `  ${l}`));
  return out;
}

function namespaceLines(ns: NamespaceView, run: QuickstartRun): string[] {
  const out = [`${ns.name}  (owner: team ${ns.ownerTeam}; ${count(ns.flows.length, "flow")}, ${count(ns.tables.length, "table contract")})`];
  if (ns.flows.length === 0) {
    const refused = run.outcomes.find((o) => o.repository.namespace === ns.name && o.result === "refused");
    out.push(refused ? `  nothing registered: the ${refused.repository.name} plan was refused (below)` : "  nothing registered");
    return out;
  }
  const tables = new Map(ns.tables.map((t) => [t.name, t]));
  const rows = inRunOrder(ns.flows).map((f) => {
    const table = tables.get(f.id);
    return [
      f.id,
      f.feedType ? `${f.feedType}${f.keys.length ? ` on ${f.keys.join(", ")}` : ""}` : "view",
      triggerText(f),
      table ? `contract v${table.version}${table.partitioning ? `, ${table.partitioning}` : ""}` : "",
    ];
  });
  return [...out, ...columns(rows).map((l) => `  ${l}`)];
}

function triggerText(f: FlowView): string {
  const after = f.upstream.map((u) => (u.namespace === f.namespace ? u.flowId : `${u.namespace}/${u.flowId}`));
  const parts = [...(after.length ? [`after ${after.join(" + ")}`] : []), ...f.schedules.map((s) => `cron ${s}`)];
  return parts.length ? parts.join("; ") : "no trigger";
}

/** Upstream first: a flow comes after every flow of its namespace it triggers on. */
function inRunOrder(flows: FlowView[]): FlowView[] {
  const byId = new Map(flows.map((f) => [f.id, f]));
  const depth = new Map<string, number>();
  const depthOf = (f: FlowView, seen: Set<string>): number => {
    if (depth.has(f.id)) return depth.get(f.id)!;
    if (seen.has(f.id)) return 0;
    seen.add(f.id);
    const ups = f.upstream.filter((u) => u.namespace === f.namespace && byId.has(u.flowId)).map((u) => depthOf(byId.get(u.flowId)!, seen) + 1);
    const d = Math.max(0, ...ups);
    depth.set(f.id, d);
    return d;
  };
  // Views (no feed type, no trigger) last: they read the tables above them.
  const rank = (f: FlowView) => (f.feedType ? depthOf(f, new Set()) : Number.MAX_SAFE_INTEGER);
  return [...flows].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

export function exploreLines(run: QuickstartRun, options: { once: boolean }): string[] {
  const url = run.controlPlane.url;
  const api = `${url}/api/v1`;
  const keyFrom = run.controlPlane.adminKeyFile ? `$(cat ${shown(run.controlPlane.adminKeyFile)})` : "$MESHPLANE_ADMIN_API_KEY";
  const platformDir = shown(run.paths.workDir("platform"));
  const tfrc = shown(run.paths.terraformRc);
  const H = '-H "Authorization: Bearer $MESHPLANE_API_KEY"';
  const out = [
    "",
    options.once
      ? `Stopped (--once). \`npm run quickstart\` starts it again from ${shown(run.dataDir)}; the plans will show no changes (the mesh runs its two days again).`
      : `The control plane keeps running at ${url} until Ctrl-C (the data stays in ${shown(run.dataDir)}; running the quickstart again changes nothing).`,
    "",
    "Explore it as the platform admin:",
    `  export MESHPLANE_API_KEY=${keyFrom}`,
    `  curl -s ${H} ${api}/flows/retail.supply`,
    `  curl -s ${H} '${api}/flows/retail.supply/supply_mart.store_replenishment/dependencies?direction=up&recursive=true'`,
    `  curl -s ${H} ${api}/tables/retail.sales/sales_ods.orders`,
    `  curl -s ${H} '${api}/tables/retail.sales/sales_ods.orders/rows?limit=5'     # the rows the mesh wrote`,
    `  npx meshplane warehouse query "SELECT order_date, store_id, orders, revenue FROM sales_mart.daily_store_revenue ORDER BY 2"   # BigQuery SQL on the embedded DuckDB`,
    `  curl -s ${H} '${api}/audit?limit=5'`,
    `  curl -s ${api}/openapi.json | head -c 400`,
    "",
    "As a team (its CI key is a sensitive output of the platform repository): sales may write in retail.sales only.",
    `  export SALES_KEY=$(TF_CLI_CONFIG_FILE=${tfrc} terraform -chdir=${platformDir} output -raw api_key_sales-ci)`,
    `  curl -s -X PUT -H "Authorization: Bearer $SALES_KEY" -H 'Content-Type: application/x-yaml' \\`,
    `    --data-binary $'id: hello\\nnamespace: retail.supply\\ntasks:\\n  - {id: hi, type: core.log, message: hi}' \\`,
    `    ${api}/flows/retail.supply/hello        # 403: names the permission and who can grant it`,
    "",
    ...(run.outcomes.some((o) => o.repository.name === "finance" && o.result === "refused")
      ? [
          "Let finance in: add this grant to examples/platform/platform.yaml (trigger_grants), then run the quickstart again:",
          "  - { upstream_namespace: retail.supply, downstream_namespace: retail.finance, kinds: [trigger] }",
          "",
        ]
      : []),
    `Terraform working dirs and state: ${shown(run.paths.root)}/<repository>  ·  server log: ${shown(run.paths.serverLog)}`,
  ];
  return out;
}

/** Left-aligned columns, two spaces apart, no trailing blanks. */
function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}
