/**
 * Synthesizes a repository the way its CI does: its own main.ts, run with tsx from the
 * repository folder (so `path: "./"` means the repository), with CDKTF_OUTDIR pointing
 * into the data dir, on the workspace's TypeScript sources (the `meshplane-source` export
 * condition; a repository outside this one gets the packages' built dist/). cdk.tf.json is then copied into the working dir, beside the state:
 * cdktf.out is rebuilt from scratch at every synth and must not hold the state.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run } from "./children.ts";

export async function synthesize(repositoryDir: string, workDir: string): Promise<void> {
  const outdir = join(workDir, "cdktf.out");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" };
  delete env["TF_STATE_BUCKET"]; // the local backend: state in the working dir
  const r = await run(process.execPath, ["--import", "tsx", "--conditions=meshplane-source", "main.ts"], { cwd: repositoryDir, env });
  if (r.code !== 0) throw new Error(`synthesizing ${repositoryDir} failed:\n${r.output.trim()}`);
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const stacks = Object.values(manifest.stacks);
  if (stacks.length !== 1) throw new Error(`${repositoryDir}/main.ts synthesized ${stacks.length} stacks; the quickstart expects one`);
  copyFileSync(join(outdir, stacks[0]!.synthesizedStackPath), join(workDir, "cdk.tf.json"));
}
