// The example repositories as repositories: each has the CDKTF app and the GitHub Actions
// workflow its team would run, and the workflow does what the README promises (plan on
// pull requests, apply on main, no Meshplane secret (the job's OIDC token), the provider installed
// the documented way, terraform run where main.ts writes its stack).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPOSITORIES } from "../src/repositories.ts";
import { diagnosticsOf } from "../src/terraform.ts";

interface Step { uses?: string; run?: string; if?: string; with?: Record<string, string>; "working-directory"?: string }
interface Workflow { on: { pull_request?: unknown; push?: { branches: string[] } }; permissions?: Record<string, string>; env: Record<string, string>; jobs: Record<string, { steps: Step[] }> }

describe.each(REPOSITORIES.map((r) => [r.name, r] as const))("the %s repository", (name, repository) => {
  const workflow = parse(readFileSync(join(repository.dir, ".github", "workflows", "meshplane.yml"), "utf8")) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const mainTs = readFileSync(join(repository.dir, "main.ts"), "utf8");

  it("has a CDKTF app whose single stack is named after the repository, and the files of its kind", () => {
    expect(mainTs).toContain(`new TerraformStack(app, "${name}")`);
    expect(mainTs).toContain(repository.key.kind === "admin" ? 'new MeshPlatform(stack, "platform", { path: "./platform.yaml" })' : `new SqlDomain(stack, "${name}", { path: "./" })`);
    expect(existsSync(join(repository.dir, repository.key.kind === "admin" ? "platform.yaml" : "domain.yaml"))).toBe(true);
  });

  it("plans on pull requests and applies that plan only on main", () => {
    expect(workflow.on.pull_request).toBeDefined();
    expect(workflow.on.push?.branches).toEqual(["main"]);
    const plan = steps.find((s) => s.run?.includes("terraform -chdir=$STACK plan"));
    expect(plan?.if).toBeUndefined();
    expect(plan?.run).toContain("-out=plan.tfplan");
    const apply = steps.find((s) => s.run?.includes("terraform -chdir=$STACK apply"));
    expect(apply?.if).toBe("github.event_name == 'push'");
    expect(apply?.run).toContain("plan.tfplan");
  });

  it("holds no Meshplane secret: the job's OIDC token (id-token: write) is exchanged; terraform runs where main.ts writes the stack", () => {
    expect(workflow.env["MESHPLANE_ENDPOINT"]).toBe("${{ vars.MESHPLANE_ENDPOINT }}");
    expect(workflow.env["MESHPLANE_API_KEY"]).toBeUndefined();
    expect(workflow.permissions?.["id-token"]).toBe("write");
    expect(JSON.stringify(workflow)).not.toMatch(/secrets\.MESHPLANE/);
    expect(workflow.env["STACK"]).toBe(`cdktf.out/stacks/${name}`);
    expect(JSON.stringify(workflow)).not.toMatch(/mp_[A-Za-z0-9]/); // no key committed
  });

  it("installs the provider the documented way before synthesizing with the repository's main.ts", () => {
    const install = steps.findIndex((s) => s.run === "npm ci && npm run provider:install");
    const synth = steps.findIndex((s) => s.run === "../node_modules/.bin/tsx main.ts" && s["working-directory"] === "repo");
    expect(install).toBeGreaterThan(-1);
    expect(synth).toBeGreaterThan(install);
    expect(steps.find((s) => s.uses?.startsWith("hashicorp/setup-terraform"))?.with?.["terraform_wrapper"]).toBe(false);
  });
});

describe("diagnosticsOf", () => {
  it("keeps terraform's error blocks without their box drawing", () => {
    const output = "Planning...\n╷\n│ Error: Flow not allowed\n│ \n│   with meshplane_flow.x,\n│ no trigger grant lets a listen to b\n╵\n";
    expect(diagnosticsOf(output)).toBe("Error: Flow not allowed\n\n  with meshplane_flow.x,\nno trigger grant lets a listen to b");
    expect(diagnosticsOf("Plan: 1 to add")).toBe("");
  });
});
