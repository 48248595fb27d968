// provider::meshplane::sql_domain through the protocol handlers (GetFunctions, CallFunction)
// with wire-encoded arguments, as Terraform sends them. The HCL-vs-CDKTF equivalence with
// the real terraform is modules/test/hcl-sql-domain.test.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { meshplaneProvider } from "../meshplane/provider.ts";
import { ProviderServer } from "../protocol/provider-server.ts";
import { fromDynamicValue, toDynamicValue } from "../wire/dynamic-value.ts";
import { DynamicValue, type TfType } from "../wire/types.ts";
import { SQL_DOMAIN_RESULT, sqlDomainFunction } from "./sql-domain.ts";

const examples = fileURLToPath(new URL("../../../examples/domains/", import.meta.url));
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const server = new ProviderServer(meshplaneProvider({ resources: [], dataSources: [], functions: [sqlDomainFunction], env: {} }), silent);

/** What `{ for f in fileset(dir, "**") : f => file("${dir}/${f}") }` gives (hidden files included). */
function folderFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir);
  return out;
}

interface CallResult {
  result: unknown;
  error?: { text: string; function_argument?: number };
}

async function call(files: Record<string, string>, options: unknown = null): Promise<CallResult> {
  const optionsValue = options === null ? null : new DynamicValue(typeOfOptions(options as Record<string, unknown>), options);
  const reply = (await server.callFunction({ name: "sql_domain", arguments: [toDynamicValue(files, ["map", "string"]), toDynamicValue(optionsValue, "dynamic")] })) as { result: { msgpack: Uint8Array } | null; error?: CallResult["error"] };
  return { result: reply.result ? fromDynamicValue(reply.result, SQL_DOMAIN_RESULT) : null, ...(reply.error ? { error: reply.error } : {}) };
}

function typeOfOptions(o: Record<string, unknown>): TfType {
  return ["object", Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? "string" : ["map", "string"]]))];
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
const DOMAIN = "namespace: retail.test\nteam: test\nproject: acme-test\ndefaults: { schedule: '0 3 * * *' }\n";
const SCHEMA = '[{"name": "id", "type": "STRING"}]';

describe("sql_domain is advertised", () => {
  it("in GetFunctions, GetProviderSchema and GetMetadata, with its parameters and result type", () => {
    const fns = (server.getFunctions() as { functions: Record<string, any> }).functions;
    expect(Object.keys(fns)).toEqual(["sql_domain"]);
    expect(fns.sql_domain.parameters.map((p: any) => [p.name, JSON.parse(p.type.toString()), p.allow_null_value])).toEqual([
      ["files", ["map", "string"], false],
      ["options", "dynamic", true],
    ]);
    expect(JSON.parse(fns.sql_domain.return.type.toString())).toEqual(SQL_DOMAIN_RESULT);
    expect((server.getProviderSchema() as { functions: object }).functions).toEqual(fns);
    expect((server.getMetadata() as { functions: object }).functions).toEqual([{ name: "sql_domain" }]);
  });
});

describe("sql_domain compiles a folder", () => {
  it("the sales example: tables and flows by Terraform name, SQL and schema.json as written (not template-escaped)", async () => {
    const files = folderFiles(join(examples, "sales"));
    const { result, error } = await call(files);
    expect(error).toBeUndefined();
    const r = plain(result);
    expect(r).toMatchObject({ namespace: "retail.sales", team: "sales", project: "acme-retail-sales", required_grants: [], warnings: [] });
    expect(Object.keys(r.tables)).toEqual(["sales_mart_daily_store_revenue", "sales_ods_orders", "sales_raw_orders_raw"]);
    expect(r.tables.sales_ods_orders).toEqual({
      namespace: "retail.sales",
      dataset: "sales_ods",
      table: "orders",
      schema_json: files["sales_ods/orders/schema.json"],
      feed_type: "MODE_DELTA",
      keys: ["order_id"],
      description: "One row per order, its latest state",
      labels: { layer: "ods", pii: "true" },
    });
    expect(r.tables.sales_raw_orders_raw.keys).toBeNull();
    expect(Object.keys(r.flows)).toEqual(["sales_mart_daily_store_revenue", "sales_mart_v_store_revenue_last_28_days", "sales_ods_orders", "sales_raw_orders_raw"]);
    expect(r.flows.sales_ods_orders).toMatchObject({ namespace: "retail.sales", flow_id: "sales_ods.orders", upstream_flows: ["sales_raw_orders_raw"] });
    expect(r.flows.sales_ods_orders.source).toContain("flowId: sales_raw.orders_raw");
  });

  it("the supply example lists the grant it needs from retail.sales; options override domain.yaml", async () => {
    const files = folderFiles(join(examples, "supply"));
    const r = plain((await call(files)).result);
    expect(r.required_grants).toEqual([expect.objectContaining({ upstream_namespace: "retail.sales", downstream_namespace: "retail.supply", kinds: ["trigger"] })]);
    const eu = plain((await call(files, { namespace: "retail.supply_eu", upstream: { sales_ods: "retail.sales_eu" } })).result);
    expect(eu.namespace).toBe("retail.supply_eu");
    expect(Object.values(eu.flows as Record<string, { namespace: string }>).every((f) => f.namespace === "retail.supply_eu")).toBe(true);
    expect(eu.required_grants[0].upstream_namespace).toBe("retail.sales_eu");
  });
});

describe("sql_domain errors name the file and the argument", () => {
  const base = { "domain.yaml": DOMAIN, "ds/t/query.sql": "SELECT 1", "ds/t/schema.json": SCHEMA };

  it("bad YAML in a table.yaml: file, line and column, on argument 0", async () => {
    const { result, error } = await call({ ...base, "ds/t/table.yaml": "feed_type: WRITE_MERGE\n" });
    expect(result).toBeNull();
    expect(error).toEqual({ text: expect.stringMatching(/^ds\/t\/table\.yaml:1:12: unknown feed_type "WRITE_MERGE"/), function_argument: 0 });
  });

  it("a YAML syntax error in domain.yaml", async () => {
    const { error } = await call({ ...base, "domain.yaml": "namespace: [retail\n" });
    expect(error?.function_argument).toBe(0);
    expect(error?.text).toMatch(/^domain\.yaml:\d+:\d+: /);
  });

  it("a table without schema.json", async () => {
    const { error } = await call({ "domain.yaml": DOMAIN, "ds/t/query.sql": "SELECT 1" });
    expect(error).toEqual({ text: expect.stringMatching(/^ds\/t\/schema\.json: table ds\.t has no schema\.json/), function_argument: 0 });
  });

  it("no domain.yaml, and an empty map, say what to pass", async () => {
    expect((await call({ "ds/t/query.sql": "SELECT 1", "ds/t/schema.json": SCHEMA })).error?.text).toMatch(/^domain\.yaml: no domain\.yaml at the root of the domain .*options\.namespace/);
    expect((await call({})).error).toEqual({ text: expect.stringContaining("files is empty: fileset() matched nothing"), function_argument: 0 });
  });

  it("a path that is not relative", async () => {
    const { error } = await call({ ...base, "../x/query.sql": "SELECT 1" });
    expect(error).toEqual({ text: expect.stringContaining('files: the key "../x/query.sql" is not a relative file path'), function_argument: 0 });
  });

  it("options: an unknown attribute, a bad value, a value the core refuses — all on argument 1", async () => {
    expect((await call(base, { namespaces: "x" })).error).toEqual({ text: expect.stringContaining('options has an unknown attribute "namespaces"'), function_argument: 1 });
    expect((await call(base, { upstream: "retail.sales" })).error).toEqual({ text: expect.stringContaining("options.upstream must be a map"), function_argument: 1 });
    const bad = (await call(base, { namespace: "Retail Sales" })).error;
    expect(bad?.function_argument).toBe(1);
    expect(bad?.text).toMatch(/^options: invalid namespace/);
  });

  it("an unknown function name is an error, not a crash", async () => {
    const reply = (await server.callFunction({ name: "nope", arguments: [] })) as CallResult;
    expect(reply.error?.text).toContain('no function "nope"');
  });
});
