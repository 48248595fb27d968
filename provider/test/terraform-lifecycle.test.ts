// The protocol core under the real terraform binary, through meshplane_test_echo:
// create, empty plan, in-place update, replacement, import, drift, sensitive values,
// plan-time and validate-time diagnostics, a failure after creation, destroy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { h1Hash, packageDir, ProviderWorkspace } from "./terraform-harness.ts";

const echo = (fields: Record<string, string> = {}, rule = '  rule {\n    name   = "r1"\n    weight = 0.1\n  }') => {
  const values: Record<string, string> = {
    name: '"alpha"',
    value: '"v1"',
    secret: '"s3cret-value"',
    big: "9007199254740993",
    labels: '{ "__proto__" = "x", team = "sales" }',
    tags: '["b", "a"]',
    document: 'jsonencode({ a = 1, b = [1, 2] })',
    ...fields,
  };
  const body = Object.entries(values).map(([k, v]) => `  ${k} = ${v}`).join("\n");
  return `resource "meshplane_test_echo" "a" {\n${body}\n${rule}\n}\n\noutput "id" { value = meshplane_test_echo.a.id }\noutput "big" { value = meshplane_test_echo.a.big }\noutput "revision" { value = meshplane_test_echo.a.revision }\n`;
};

describe("terraform drives the provider through a full lifecycle", () => {
  const ws = new ProviderWorkspace();
  const resourceState = async () => (await ws.stateJson()).values?.root_module?.resources?.find((r) => r.address === "meshplane_test_echo.a");

  beforeAll(async () => {
    ws.writeConfig(echo());
    await ws.init();
  });
  afterAll(() => ws.cleanup());

  it("init records the h1 hash of the package, and building is reproducible", () => {
    const lock = readFileSync(join(ws.dir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain(h1Hash(packageDir));
  });

  it("providers schema -json shows the provider and resource schema with descriptions", async () => {
    const r = await ws.ok(["providers", "schema", "-json"]);
    const schema = JSON.parse(r.stdout).provider_schemas["registry.terraform.io/meshplane/meshplane"];
    expect(schema.provider.block.attributes.api_key).toMatchObject({ type: "string", optional: true, sensitive: true });
    expect(schema.provider.block.attributes.endpoint.description).toMatch(/MESHPLANE_ENDPOINT/);
    const echoSchema = schema.resource_schemas.meshplane_test_echo.block;
    expect(echoSchema.attributes.name).toMatchObject({ type: "string", required: true });
    expect(echoSchema.attributes.labels.type).toEqual(["map", "string"]);
    expect(echoSchema.attributes.token).toMatchObject({ computed: true, sensitive: true });
    expect(echoSchema.block_types.rule.nesting_mode).toBe("list");
  });

  it("validate passes, and an invalid value is reported on its attribute", async () => {
    await ws.ok(["validate"]);
    ws.writeConfig(echo({ value: '"invalid"' }));
    const r = await ws.ok(["validate"], 1);
    expect(r.output).toMatch(/Invalid value/);
    expect(r.output).toMatch(/rejected by offline validation/);
    expect(r.output).toMatch(/on main\.tf line \d+, in resource "meshplane_test_echo" "a":\n[│\s]*\d+:\s*value = "invalid"/);
    ws.writeConfig(echo());
  });

  it("creates, with computed values unknown in the plan and sensitive values hidden", async () => {
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/\+ id\s+= \(known after apply\)/);
    expect(plan.output).toMatch(/\+ secret\s+= \(sensitive value\)/);
    expect(plan.output).toMatch(/\+ token\s+= \(sensitive value\)/);
    expect(plan.output).toMatch(/\+ mode\s+= "standard"/);
    expect(plan.output).not.toContain("s3cret-value");
    const apply = await ws.apply();
    expect(apply.output).not.toContain("s3cret-value");
    expect(apply.output).not.toContain("tok-");
    expect(apply.output).toContain('id = "echo-alpha"');
    expect(apply.output).toContain("big = 9007199254740993");
    expect(apply.output).toContain("revision = 1");
    expect(ws.readStore()["echo-alpha"]).toMatchObject({ value: "v1", big: "9007199254740993", labels: { team: "sales" } });
    expect(Object.keys(ws.readStore()["echo-alpha"]!.labels as object)).toContain("__proto__");
  });

  it("plans nothing afterwards, also when the JSON document is only reformatted", async () => {
    await ws.plan(0);
    ws.writeConfig(echo({ document: '"{\\"b\\": [1, 2],\\n  \\"a\\": 1}"' }));
    await ws.plan(0);
  });

  it("updates in place, with the revision known only after apply", async () => {
    ws.writeConfig(echo({ value: '"v2"', labels: '{ team = "supply" }' }));
    const plan = await ws.plan(2);
    expect(plan.output).toContain("will be updated in-place");
    expect(plan.output).toMatch(/~ revision\s+= 1 -> \(known after apply\)/);
    expect(plan.output).toMatch(/~ value\s+= "v1" -> "v2"/);
    const apply = await ws.apply();
    expect(apply.output).toContain("1 changed");
    expect(apply.output).toContain("revision = 2");
    expect(apply.output).toContain('id = "echo-alpha"');
    await ws.plan(0);
  });

  it("replaces the object when a forceNew attribute changes", async () => {
    ws.writeConfig(echo({ name: '"beta"', value: '"v2"' }));
    const plan = await ws.plan(2);
    expect(plan.output).toContain("must be replaced");
    expect(plan.output).toMatch(/~ name\s+= "alpha" -> "beta" # forces replacement/);
    const apply = await ws.apply();
    expect(apply.output).toContain("1 added, 0 changed, 1 destroyed");
    expect(Object.keys(ws.readStore())).toEqual(["echo-beta"]);
    await ws.plan(0);
  });

  it("detects an object deleted out of band and plans to create it again", async () => {
    ws.writeStore({});
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/has been deleted|will be created/);
    expect(plan.output).toContain("1 to add, 0 to change, 0 to destroy");
    await ws.apply();
    expect(Object.keys(ws.readStore())).toEqual(["echo-beta"]);
  });

  it("plans a value changed out of band back to the configuration", async () => {
    const all = ws.readStore();
    all["echo-beta"]!.value = "changed-elsewhere";
    ws.writeStore(all);
    const plan = await ws.plan(2);
    expect(plan.output).toMatch(/~ value\s+= "changed-elsewhere" -> "v2"/);
    await ws.apply();
    await ws.plan(0);
  });

  it("imports an existing object by id, then plans nothing", async () => {
    await ws.ok(["state", "rm", "meshplane_test_echo.a"]);
    const missing = await ws.ok(["import", "-input=false", "meshplane_test_echo.a", "echo-nope"], 1);
    expect(missing.output).toMatch(/Cannot import meshplane_test_echo/);
    expect(missing.output).toContain('"echo-nope"');
    const r = await ws.ok(["import", "-input=false", "meshplane_test_echo.a", "echo-beta"]);
    expect(r.output).toContain("Import successful");
    expect((await resourceState())?.values).toMatchObject({ id: "echo-beta", name: "beta", value: "v2", revision: 2 });
    await ws.plan(0);
  });

  it("reports a plan-time check on the attribute, before anything is applied", async () => {
    ws.writeConfig(echo({ name: '"beta"', value: '"forbidden"' }));
    const r = await ws.plan(1);
    expect(r.output).toContain("Value refused at plan time");
    expect(r.output).toMatch(/\d+:\s*value = "forbidden"/);
    expect(ws.readStore()["echo-beta"]!.value).toBe("v2");
  });

  it("keeps an object that was created before a failure, as tainted (no leak)", async () => {
    ws.writeConfig(echo({ name: '"gamma"', value: '"fail-after-create"' }));
    const r = await ws.ok(["apply", "-auto-approve", "-input=false"], 1);
    expect(r.output).toContain("Failed after creating");
    const state = await resourceState();
    expect(state?.values.id).toBe("echo-gamma");
    expect(state?.tainted).toBe(true);
    expect(Object.keys(ws.readStore())).toContain("echo-gamma");
    // The next plan replaces the tainted object.
    ws.writeConfig(echo({ name: '"gamma"', value: '"ok"' }));
    const plan = await ws.plan(2);
    expect(plan.output).toContain("is tainted, so must be replaced");
  });

  it("reads a data source, with errors on its attribute", async () => {
    const reader = 'data "meshplane_test_echo" "r" {\n  id = meshplane_test_echo.a.id\n}\n\noutput "read_labels" { value = data.meshplane_test_echo.r.labels }\n';
    ws.writeConfig(echo({ name: '"gamma"', value: '"ok"' }) + reader);
    const apply = await ws.apply();
    expect(apply.output).toMatch(/read_labels = tomap\(\{\s*"__proto__" = "x"\s*"team" = "sales"\s*\}\)/);
    ws.writeConfig(echo({ name: '"gamma"', value: '"ok"' }) + 'data "meshplane_test_echo" "r" {\n  id = "echo-none"\n}\n');
    const r = await ws.plan(1);
    expect(r.output).toContain("No such echo");
    expect(r.output).toMatch(/\d+:\s*id = "echo-none"/);
  });

  it("destroys everything", async () => {
    ws.writeConfig(echo({ name: '"gamma"', value: '"ok"' }));
    await ws.apply();
    const r = await ws.ok(["destroy", "-auto-approve", "-input=false"]);
    expect(r.output).toContain("Destroy complete! Resources: 1 destroyed.");
    expect(ws.readStore()).toEqual({});
  });
});
