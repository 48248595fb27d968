// Measures the provider's start-up: from spawning the launcher (as Terraform does,
// with mTLS) to the handshake line on stdout, and the process's peak RSS then.
// Run: node bench/startup.mjs [runs]   (after npm run build -w @meshplane/provider)
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const providerDir = fileURLToPath(new URL("..", import.meta.url));
const version = JSON.parse(readFileSync(join(providerDir, "package.json"), "utf8")).version;
const launcher = join(providerDir, "dist", "package", `terraform-provider-meshplane_v${version}`);
const runs = Number(process.argv[2] ?? 20);

// A client certificate like the one Terraform passes in PLUGIN_CLIENT_CERT.
const dir = mkdtempSync(join(tmpdir(), "meshplane-bench-"));
execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost", "-days", "1", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem")], { stdio: "ignore" });
const clientCert = readFileSync(join(dir, "c.pem"), "utf8");

function once() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(launcher, [], {
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2", PLUGIN_PROTOCOL_VERSIONS: "5,6", PLUGIN_CLIENT_CERT: clientCert, TF_LOG: "off" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.once("data", (line) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let hwmKb = NaN;
      try {
        hwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]);
      } catch {}
      if (!String(line).startsWith("1|6|unix|")) reject(new Error(`bad handshake: ${line}`));
      child.kill("SIGTERM");
      child.once("exit", () => resolve({ ms, rssMb: hwmKb / 1024 }));
    });
    child.once("error", reject);
  });
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
rmSync(dir, { recursive: true, force: true });
const sorted = (k) => results.map((r) => r[k]).sort((a, b) => a - b);
const median = (k) => sorted(k)[Math.floor(results.length / 2)];
console.log(JSON.stringify({ runs, startupMsMedian: +median("ms").toFixed(1), startupMsMax: +sorted("ms").at(-1).toFixed(1), peakRssMbMedian: +median("rssMb").toFixed(1) }));
