// The packages as a domain repository outside this one gets them: `npm pack` of
// @meshplane/provider, @meshplane/modules and the @meshplane/rules they depend on
// (published alongside; prepack builds dist/: JavaScript + .d.ts),
// installed from the tarballs into a scratch app with npm (its other dependencies from
// the npm registry), then loaded by plain Node, type-checked by tsc against the shipped
// .d.ts, and synthesized from a CDKTF app run by tsx — never the workspace's TypeScript
// sources (the scratch app is outside the workspace, and resolves no `meshplane-source`).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { App, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import { SqlDomain } from "../src/index.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = (name: string) => join(repo, "node_modules", ".bin", name);
const salesDomain = join(repo, "examples", "domains", "sales");

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", NODE_OPTIONS: "" }, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0, output: stdout + stderr });
    });
  });
}

async function ok(cmd: string, args: string[], cwd: string): Promise<string> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.code} in ${cwd}:\n${r.output}`);
  return r.output;
}

/** The resource types and counts of a synthesized stack. */
function resourcesOf(outdir: string): Record<string, number> {
  const stack = JSON.parse(readFileSync(join(outdir, "stacks", "sales", "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(stack.resource ?? {}).map(([type, byName]) => [type, Object.keys(byName).length]));
}

/** What `npm pack` makes: the rules package is published alongside the two that use it. */
const PACKED = ["meshplane-modules-0.1.0.tgz", "meshplane-provider-0.1.0.tgz", "meshplane-rules-0.1.0.tgz"];

const app = `import { App, TerraformStack } from "cdktf";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import { SqlDomain } from "@meshplane/modules";
const app = new App({ outdir: process.argv[3] });
const stack = new TerraformStack(app, "sales");
new MeshplaneProvider(stack, "meshplane", {});
new SqlDomain(stack, "sales", { path: process.argv[2] });
app.synth();
`;

const typedApp = `import { App, TerraformStack } from "cdktf";
import { MeshplaneProvider, Flow } from "@meshplane/provider/cdktf";
import { SqlDomain, type SqlDomainProps } from "@meshplane/modules";
const props: SqlDomainProps = { path: process.argv[2]! };
const app = new App({ outdir: process.argv[3]! });
const stack = new TerraformStack(app, "sales");
new MeshplaneProvider(stack, "meshplane", {});
const domain: SqlDomain = new SqlDomain(stack, "sales", props);
const flowType: string = Flow.tfResourceType;
void domain;
void flowType;
app.synth();
`;

describe("the packed packages, installed into an app of their own", () => {
  let work: string;
  let appDir: string;
  let expected: Record<string, number>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "meshplane-packed-"));
    appDir = join(work, "app");
    await ok("npm", ["pack", "-w", "@meshplane/rules", "-w", "@meshplane/provider", "-w", "@meshplane/modules", "--pack-destination", work], repo);
    const tarballs = readdirSync(work).filter((f) => f.endsWith(".tgz")).sort();
    expect(tarballs).toEqual(PACKED);
    await ok("mkdir", ["-p", appDir], work);
    writeFileSync(join(appDir, "package.json"), JSON.stringify({ name: "scratch-domain", private: true, type: "module" }));
    await ok("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs.map((t) => join(work, t))], appDir);
    // What the same domain synthesizes to from the workspace's sources, to compare with.
    const sources = new App({ outdir: join(work, "expected-out") });
    const stack = new TerraformStack(sources, "sales");
    new MeshplaneProvider(stack, "meshplane", {});
    new SqlDomain(stack, "sales", { path: salesDomain });
    sources.synth();
    expected = resourcesOf(join(work, "expected-out"));
  }, 300_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("ships compiled JavaScript and declarations only, no TypeScript sources", async () => {
    for (const tarball of PACKED) {
      const files = (await ok("tar", ["tzf", join(work, tarball)], work)).trim().split("\n");
      expect(files).toContain("package/package.json");
      expect(files.some((f) => f.endsWith(".d.ts"))).toBe(true);
      expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    }
  });

  it("loads from plain Node and synthesizes the sales domain as the workspace does", async () => {
    writeFileSync(join(appDir, "main.mjs"), app);
    await ok(process.execPath, ["main.mjs", salesDomain, join(appDir, "out-node")], appDir);
    const got = resourcesOf(join(appDir, "out-node"));
    expect(got["meshplane_flow"]).toBeGreaterThan(0);
    expect(got["meshplane_table"]).toBeGreaterThan(0);
    expect(got).toEqual(expected);
    // The installed copy is the one that ran: the packages resolve inside the app.
    const resolved = await ok(process.execPath, ["--input-type=module", "-e", "console.log(import.meta.resolve('@meshplane/modules'))"], appDir);
    expect(resolved.trim()).toContain(join(appDir, "node_modules", "@meshplane", "modules", "dist", "index.js"));
    // …and so is the shared rules package the modules' lineage and checks run on.
    const rules = await ok(process.execPath, ["--input-type=module", "-e", "const m = await import('@meshplane/modules'); console.log(import.meta.resolve('@meshplane/rules'), m.findTableReferences('SELECT * FROM (ds.a JOIN ds.b USING (k))').tables.length)"], appDir);
    expect(rules.trim()).toBe(`${pathToFileURL(join(appDir, "node_modules", "@meshplane", "rules", "dist", "index.js")).href} 2`);
  }, 120_000);

  it("type-checks a TypeScript app against the shipped declarations, and runs it with tsx", async () => {
    writeFileSync(join(appDir, "main.ts"), typedApp);
    writeFileSync(
      join(appDir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, typeRoots: [join(repo, "node_modules", "@types")], types: ["node"] },
        files: ["main.ts"],
      }),
    );
    await ok(bin("tsc"), ["-p", "."], appDir);
    // A wrong prop is caught by the shipped types (the check above is not vacuous).
    writeFileSync(join(appDir, "wrong.ts"), `import { SqlDomain } from "@meshplane/modules";\nimport { App, TerraformStack } from "cdktf";\nnew SqlDomain(new TerraformStack(new App(), "s"), "d", { pathh: "./" });\n`);
    const wrong = await run(bin("tsc"), ["--noEmit", "--strict", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--target", "ES2022", "wrong.ts"], appDir);
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toMatch(/pathh/);
    await ok(bin("tsx"), ["main.ts", salesDomain, join(appDir, "out-tsx")], appDir);
    expect(resourcesOf(join(appDir, "out-tsx"))).toEqual(expected);
  }, 180_000);
});
