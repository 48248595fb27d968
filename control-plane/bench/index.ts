/**
 * `npm run bench` (control plane): every benchmark of this package, one after the other;
 * name some to run only those: `npm run bench -w @meshplane/control-plane -- burst --executions 500`.
 * Parts: `api` (api-bench.ts), `burst` (burst-bench.ts), `console` (console-bench.ts), `translate` (translate-bench.ts), `warehouse` (warehouse-bench.ts).
 * Each prints its table and sets a non-zero exit code while one of its targets is missed.
 */
const PARTS = { api: "./api-bench.ts", burst: "./burst-bench.ts", console: "./console-bench.ts", translate: "./translate-bench.ts", warehouse: "./warehouse-bench.ts" } as const;
type Part = keyof typeof PARTS;

// Options that take a value (the others are flags): their values are not part names.
const VALUED = new Set(["--executions", "--task-runs", "--connections", "--worker-concurrency", "--target-rows", "--source-rows"]);
const named = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !VALUED.has(all[i - 1] ?? ""));
const unknown = named.filter((n) => !(n in PARTS));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(", ")}: choose among ${Object.keys(PARTS).join(", ")} (none: all)`);
  process.exit(2);
}
const parts = (named.length > 0 ? named : Object.keys(PARTS)) as Part[];
let failed = false;
for (const part of parts) {
  process.exitCode = 0;
  await import(PARTS[part]);
  failed ||= process.exitCode !== 0;
}
process.exitCode = failed ? 1 : 0;
