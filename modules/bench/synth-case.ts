/**
 * One measured synthesis, in a process of its own so that its peak RSS is its own:
 *   tsx bench/synth-case.ts <case> <domain root> <out dir> [count]
 * Prints one JSON line: seconds (wall and CPU) from the first construct to cdk.tf.json on disk, the
 * process's peak RSS, the resource count and the size of cdk.tf.json.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { App, LocalBackend, TerraformResource, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { MeshplaneProvider } from "@meshplane/provider/cdktf";
import { GoogleProvider, SqlDomain } from "../src/index.ts";

const [kind, root, outdir, countText] = process.argv.slice(2) as [string, string, string, string | undefined];
const count = Number(countText ?? 1000);

/**
 * `terraform_data` without cdktf's DataResource: that class adds a validation running
 * `terraform version` per resource at synth (~90 ms each, 80 s for 1,000), which would
 * make any baseline meaningless.
 */
class TerraformDataLike extends TerraformResource {
  constructor(scope: Construct, id: string, readonly input: string) {
    super(scope, id, { terraformResourceType: "terraform_data" });
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: this.input };
  }
}

const start = performance.now();
const cpuStart = process.cpuUsage();
const app = new App({ outdir });
const stack = new TerraformStack(app, "bench");
new LocalBackend(stack, { path: "terraform.tfstate" });
if (kind === "terraform_data") {
  // The baseline: as many built-in resources, each carrying a query of the same domain.
  for (let i = 0; i < count; i++) new TerraformDataLike(stack, `d${i}`, `SELECT ${i} AS id -- ${"x".repeat(400)}`);
} else {
  new MeshplaneProvider(stack, "meshplane", {});
  if (kind === "both") new GoogleProvider(stack, "google", {});
  new SqlDomain(stack, "domain", { path: root, target: kind === "both" ? "both" : "meshplane" });
}
app.synth();
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const file = join(outdir, "stacks", "bench", "cdk.tf.json");
const json = JSON.parse(readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
const resources = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
console.log(JSON.stringify({ kind, seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, resources, jsonMb: statSync(file).size / 1024 / 1024 }));
