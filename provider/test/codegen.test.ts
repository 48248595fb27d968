// The generated artifacts: the CDKTF bindings and the docs are committed; they must
// match what the generators make from today's schema (else CI fails: run
// `npm run generate:cdktf -w @meshplane/provider` / `generate:docs`). The offline
// schema JSON must match what terraform itself reads from the provider, and the
// bindings must synthesize configuration that terraform validates.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { DataMeshplaneFlow, Flow, MeshplaneProvider, Namespace, Table, Team } from "@meshplane/provider/cdktf";
import { generateCdktf } from "../codegen/cdktf.ts";
import { docsPages } from "../codegen/docs.ts";
import { minorConstraintOf } from "../codegen/constraint.ts";
import { PROVIDER_ADDRESS, providerSchemaJson } from "../codegen/schema-json.ts";
import { providerDir, ProviderWorkspace, version } from "./terraform-harness.ts";

/** Every file under dir, path → content. */
function tree(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        return [path.slice(dir.length + 1), readFileSync(path, "utf8")];
      }),
  );
}

const temp = mkdtempSync(join(tmpdir(), "meshplane-codegen-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("generated artifacts are up to date", () => {
  it("the committed CDKTF bindings are what the generator makes now (run npm run generate:cdktf if not)", async () => {
    await generateCdktf(join(temp, "cdktf"), minorConstraintOf(version));
    const fresh = tree(join(temp, "cdktf"));
    expect(Object.keys(fresh)).toContain("flow/index.ts");
    expect(tree(join(providerDir, "cdktf"))).toEqual(fresh);
  });

  it("generating twice gives the same bytes", async () => {
    await generateCdktf(join(temp, "again"), minorConstraintOf(version));
    expect(tree(join(temp, "again"))).toEqual(tree(join(temp, "cdktf")));
  });

  it("the committed docs are what the generator makes now (run npm run generate:docs if not)", () => {
    expect(tree(join(providerDir, "docs"))).toEqual(docsPages());
  });
});

describe("the offline schema and the bindings against terraform", () => {
  const ws = new ProviderWorkspace({ MESHPLANE_PROVIDER_TEST_RESOURCES: "0" });
  afterAll(() => ws.cleanup());

  it("matches terraform providers schema -json (types and flags of every attribute)", async () => {
    ws.writeConfig("");
    await ws.init();
    const real = JSON.parse((await ws.ok(["providers", "schema", "-json"])).stdout).provider_schemas[PROVIDER_ADDRESS];
    const offline = providerSchemaJson().provider_schemas[PROVIDER_ADDRESS]!;
    const shape = (schemas: Record<string, { block: { attributes?: Record<string, Record<string, unknown>> } }>) =>
      Object.fromEntries(
        Object.entries(schemas).map(([name, s]) => [
          name,
          Object.fromEntries(Object.entries(s.block.attributes ?? {}).map(([a, v]) => [a, { type: v.type, required: !!v.required, optional: !!v.optional, computed: !!v.computed, sensitive: !!v.sensitive, description: v.description }])),
        ]),
      );
    expect(shape(offline.resource_schemas)).toEqual(shape(real.resource_schemas));
    expect(shape(offline.data_source_schemas)).toEqual(shape(real.data_source_schemas));
    expect(shape({ p: offline.provider })).toEqual(shape({ p: real.provider }));
  });

  it("exports MeshplaneProvider, Flow, Namespace, … whose synthesized JSON terraform validates", async () => {
    const app = new App({ outdir: join(temp, "synth") });
    const stack = new TerraformStack(app, "domain");
    new MeshplaneProvider(stack, "meshplane", { endpoint: "http://127.0.0.1:1" });
    const team = new Team(stack, "sales", { name: "sales" });
    const ns = new Namespace(stack, "ns", { name: "retail.sales", ownerTeam: team.name, labels: { domain: "retail" } });
    new Flow(stack, "daily", { namespace: ns.name, flowId: "daily_orders", source: "id: daily_orders\nnamespace: retail.sales\ntasks: []\n" });
    new Table(stack, "orders", { namespace: ns.name, dataset: "retail_sales", table: "orders", schemaJson: "[]", feedType: "MODE_DELTA", keys: ["order_id"], majorVersion: 2 });
    new DataMeshplaneFlow(stack, "upstream", { namespace: "retail.supply", flowId: "stock_levels" });
    const synth = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(synth.resource.meshplane_namespace!.ns).toMatchObject({ name: "retail.sales", owner_team: "${meshplane_team.sales.name}" });
    expect(synth.resource.meshplane_table!.orders).toMatchObject({ schema_json: "[]", feed_type: "MODE_DELTA", major_version: 2 });

    rmSync(join(ws.dir, "main.tf"));
    const outdir = Testing.fullSynth(stack);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "domain", "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    rmSync(outdir, { recursive: true, force: true }); // fullSynth's own temp folder
    delete (json.terraform as Record<string, unknown>).backend;
    writeFileSync(join(ws.dir, "main.tf.json"), JSON.stringify(json));
    await ws.init();
    await ws.ok(["validate"]);
  });
});
