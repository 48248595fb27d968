import { describe, expect, it } from "vitest";
import { buildDomainGraph, lineageOf } from "../src/lineage/domain-graph.ts";
import type { DomainModel, TableModel, ViewModel } from "../src/repo/domain-model.ts";
import { readDomain } from "../src/repo/read-domain.ts";
import { fixture, moduleErrorOf } from "./fixtures.ts";

describe("buildDomainGraph: the sales fixture", () => {
  const graph = buildDomainGraph(readDomain(fixture("sales")));

  it("triggers a mart on the tables it reads, in this domain and upstream (CTE names, aliases and the project prefix resolved)", () => {
    expect(lineageOf(graph, "sales_mart.daily_revenue")).toEqual({
      id: "sales_mart.daily_revenue",
      kind: "table",
      dependsOn: ["sales_ods.2024_targets", "sales_ods.customers", "sales_ods.orders"],
      triggers: [
        { namespace: "retail.sales", flowId: "sales_ods.2024_targets" },
        { namespace: "retail.sales", flowId: "sales_ods.customers" },
        { namespace: "retail.sales", flowId: "sales_ods.orders" },
        { namespace: "retail.supply", flowId: "retail_supply.stock_levels" },
      ],
      external: [],
    });
  });

  it("looks through a view to what it reads, and adds a declared cross-domain depends_on", () => {
    expect(lineageOf(graph, "sales_mart.top_customers")).toEqual({
      id: "sales_mart.top_customers",
      kind: "table",
      dependsOn: ["sales_mart.v_orders_enriched"],
      triggers: [
        { namespace: "retail.sales", flowId: "sales_ods.customers" },
        { namespace: "retail.sales", flowId: "sales_ods.orders" },
        { namespace: "retail.supply", flowId: "retail_supply.suppliers" },
      ],
      external: [],
    });
  });

  it("schedules tables fed only by landing tables: the domain default, or their own", () => {
    expect(graph.objects.filter((o) => o.schedule).map((o) => [o.id, o.schedule, o.external])).toEqual([
      ["sales_ods.2024_targets", { cron: "0 3 * * *", timezone: "Europe/Paris", from: "domain.yaml" }, ["raw_sales.targets"]],
      ["sales_ods.customers", { cron: "30 2 * * *", timezone: "Europe/Paris", from: "table.yaml" }, ["acme-sales-prod.raw_sales.customers_raw"]],
      ["sales_ods.orders", { cron: "0 3 * * *", timezone: "Europe/Paris", from: "domain.yaml" }, ["raw_sales.orders_raw"]],
    ]);
  });

  it("creates no dependency from a name in a comment or a string", () => {
    expect(lineageOf(graph, "sales_ods.2024_targets").dependsOn).toEqual([]);
    expect(graph.edges.filter((e) => e.to === "sales_ods.2024_targets")).toEqual([]);
  });

  it("lists the edges with where each is written", () => {
    expect(graph.edges.map((e) => `${e.from} -> ${e.to} [${e.kind}] ${e.location.file}:${e.location.line}:${e.location.column}`)).toEqual([
      "retail.supply/retail_supply.stock_levels -> sales_mart.daily_revenue [cross] marts/sales_mart/daily_revenue/query.sql:9:48",
      "sales_ods.2024_targets -> sales_mart.daily_revenue [intra] marts/sales_mart/daily_revenue/query.sql:15:11",
      "sales_ods.customers -> sales_mart.daily_revenue [intra] marts/sales_mart/daily_revenue/query.sql:6:40",
      "sales_ods.orders -> sales_mart.daily_revenue [intra] marts/sales_mart/daily_revenue/query.sql:3:8",
      "retail.supply/retail_supply.suppliers -> sales_mart.top_customers [cross] marts/sales_mart/top_customers/table.yaml:3:5",
      "sales_mart.v_orders_enriched -> sales_mart.top_customers [intra] marts/sales_mart/top_customers/query.sql:2:6",
      "sales_ods.customers -> sales_mart.v_orders_enriched [intra] marts/sales_mart/v_orders_enriched/view.sql:3:6",
      "sales_ods.orders -> sales_mart.v_orders_enriched [intra] marts/sales_mart/v_orders_enriched/view.sql:2:6",
    ]);
  });

  it("lists the trigger grants the domain needs from other namespaces", () => {
    expect(graph.requiredGrants).toEqual([
      {
        upstreamNamespace: "retail.supply",
        downstreamNamespace: "retail.sales",
        kinds: ["trigger"],
        neededBy: [
          { flowId: "sales_mart.daily_revenue", upstreamFlowId: "retail_supply.stock_levels" },
          { flowId: "sales_mart.top_customers", upstreamFlowId: "retail_supply.suppliers" },
        ],
      },
    ]);
    expect(graph.warnings).toEqual([]);
  });

  it("the supply fixture needs no grant and schedules both tables", () => {
    const supply = buildDomainGraph(readDomain(fixture("supply")));
    expect(supply.requiredGrants).toEqual([]);
    expect(supply.objects.map((o) => [o.id, o.schedule])).toEqual([
      ["retail_supply.stock_levels", { cron: "0 1 * * *", from: "table.yaml" }],
      ["retail_supply.suppliers", { cron: "@daily", from: "table.yaml" }],
    ]);
  });
});

// Small domains built as data: the graph is a pure function of the model.
function domainOf(objects: { id: string; sql: string; kind?: "view"; schedule?: string; dependsOn?: string[] }[], extra: Partial<DomainModel> = {}): DomainModel {
  const make = (o: (typeof objects)[number]): TableModel | ViewModel => {
    const [dataset, name] = o.id.split(".") as [string, string];
    const base = {
      id: o.id,
      dataset,
      name,
      folder: `${dataset}/${name}`,
      resourceName: o.id.replace(".", "_"),
      sql: o.sql,
      sqlFile: `${dataset}/${name}/${o.kind === "view" ? "view" : "query"}.sql`,
      dependsOn: (o.dependsOn ?? []).map((d, k) => ({ dataset: d.split(".")[0]!, table: d.split(".")[1]!, location: { file: `${dataset}/${name}/table.yaml`, line: k + 2, column: 5 } })),
      labels: {},
    };
    if (o.kind === "view") return { kind: "view", ...base };
    return { kind: "table", ...base, schema: { form: "fields-array", fields: [{ name: "id", type: "STRING" }] }, schemaFile: `${dataset}/${name}/schema.json`, feedType: "WRITE_TRUNCATE", keys: [], ...(o.schedule ? { schedule: o.schedule } : {}) };
  };
  const all = objects.map(make);
  return {
    root: "/x",
    domainFile: "domain.yaml",
    namespace: "acme.d",
    team: "d",
    project: "acme-d-prod",
    defaults: { schedule: "0 5 * * *", feedType: "WRITE_TRUNCATE" },
    upstream: [{ dataset: "other", namespace: "acme.other", location: { file: "domain.yaml", line: 5, column: 10 } }],
    tables: all.filter((o): o is TableModel => o.kind === "table"),
    views: all.filter((o): o is ViewModel => o.kind === "view"),
    ...extra,
  };
}

describe("buildDomainGraph: rules", () => {
  it("ignores a table reading itself (incremental loads)", () => {
    const g = buildDomainGraph(domainOf([{ id: "d.t", sql: "SELECT * FROM land.x WHERE ts > (SELECT MAX(ts) FROM d.t)" }]));
    expect(lineageOf(g, "d.t")).toMatchObject({ dependsOn: [], triggers: [], schedule: { cron: "0 5 * * *", from: "domain.yaml" } });
  });

  it("refuses a table that depends_on itself", () => {
    expect(moduleErrorOf(() => buildDomainGraph(domainOf([{ id: "d.t", sql: "SELECT 1", dependsOn: ["d.t"] }]))).message).toBe(
      "d/t/table.yaml:2:5: d.t depends on itself (received: d.t; expected: another table)",
    );
  });

  it("refuses a depends_on that resolves to nothing", () => {
    expect(moduleErrorOf(() => buildDomainGraph(domainOf([{ id: "d.t", sql: "SELECT 1", dependsOn: ["landing.x"] }]))).message).toBe(
      "d/t/table.yaml:2:5: depends_on landing.x is neither a table of this domain nor in an upstream dataset (received: landing.x; expected: a table of this domain, or of a dataset listed under upstream in domain.yaml)",
    );
  });

  it("matches wildcard reads against this domain's tables, warns about upstream wildcards", () => {
    const g = buildDomainGraph(
      domainOf([
        { id: "d.events_2023", sql: "SELECT 1 FROM land.e" },
        { id: "d.events_2024", sql: "SELECT 1 FROM land.e" },
        { id: "d.other", sql: "SELECT 1 FROM land.e" },
        { id: "d.all_events", sql: "SELECT * FROM `d.events_*` JOIN other.logs_* USING (id)" },
      ]),
    );
    expect(lineageOf(g, "d.all_events")).toEqual({
      id: "d.all_events",
      kind: "table",
      dependsOn: ["d.events_2023", "d.events_2024"],
      triggers: [
        { namespace: "acme.d", flowId: "d.events_2023" },
        { namespace: "acme.d", flowId: "d.events_2024" },
      ],
      external: ["other.logs_*"],
    });
    expect(g.warnings).toEqual([
      { location: { file: "d/all_events/query.sql", line: 1, column: 33 }, message: "other.logs_* is a wildcard on the upstream dataset other: it starts no flow (list the tables in depends_on)" },
    ]);
  });

  it("treats another project's table of the same name as external", () => {
    const g = buildDomainGraph(domainOf([{ id: "d.a", sql: "SELECT 1 FROM land.x" }, { id: "d.b", sql: "SELECT * FROM `elsewhere-prod.d.a`" }]));
    expect(lineageOf(g, "d.b")).toMatchObject({ dependsOn: [], external: ["elsewhere-prod.d.a"] });
  });

  it("looks through a chain of views, and keeps a table.yaml schedule beside triggers", () => {
    const g = buildDomainGraph(
      domainOf([
        { id: "d.base", sql: "SELECT 1 FROM land.x" },
        { id: "d.v1", sql: "SELECT * FROM d.base JOIN other.stock USING (id)", kind: "view" },
        { id: "d.v2", sql: "SELECT * FROM d.v1", kind: "view" },
        { id: "d.top", sql: "SELECT * FROM d.v2", schedule: "0 12 * * *" },
      ]),
    );
    expect(lineageOf(g, "d.top")).toEqual({
      id: "d.top",
      kind: "table",
      dependsOn: ["d.v2"],
      triggers: [
        { namespace: "acme.d", flowId: "d.base" },
        { namespace: "acme.other", flowId: "other.stock" },
      ],
      external: [],
      schedule: { cron: "0 12 * * *", from: "table.yaml" },
    });
    expect(g.requiredGrants).toEqual([{ upstreamNamespace: "acme.other", downstreamNamespace: "acme.d", kinds: ["trigger"], neededBy: [{ flowId: "d.top", upstreamFlowId: "other.stock" }] }]);
  });

  it("finds a cycle through a view", () => {
    const e = moduleErrorOf(() => buildDomainGraph(domainOf([{ id: "d.a", sql: "SELECT * FROM d.v" }, { id: "d.v", sql: "SELECT * FROM d.a", kind: "view" }])));
    expect(e.message).toBe(
      "d/a/query.sql:1:15: dependency cycle: d.a reads d.v (d/a/query.sql:1:15), d.v reads d.a (d/v/view.sql:1:15) (received: d.a → d.v → d.a; expected: no cycle: remove one of these references or depends_on entries (d/a, d/v))",
    );
  });

  it("warns about one-part table names it cannot resolve, never about CTEs", () => {
    const g = buildDomainGraph(domainOf([{ id: "d.t", sql: "WITH c AS (SELECT 1 FROM land.x)\nSELECT * FROM c JOIN orders USING (id)" }]));
    expect(g.warnings).toEqual([{ location: { file: "d/t/query.sql", line: 2, column: 22 }, message: "orders has no dataset: lineage cannot resolve it (write dataset.orders)" }]);
  });

  it("turns an unterminated string into a positioned error", () => {
    const e = moduleErrorOf(() => buildDomainGraph(domainOf([{ id: "d.t", sql: "SELECT 1\nFROM land.x WHERE a = 'oops\n" }])));
    expect([e.file, e.line, e.column]).toEqual(["d/t/query.sql", 2, 23]);
    expect(e.problem).toMatch(/^unterminated 'string' literal/);
  });
});
