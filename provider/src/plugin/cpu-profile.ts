// MESHPLANE_PROVIDER_CPU_PROFILE_DIR=/some/dir: each provider process writes a V8 CPU
// profile (<pid>.cpuprofile, open it in Chrome DevTools) when it exits. For finding
// where a plan's time goes: node refuses --cpu-prof in NODE_OPTIONS, and Terraform
// starts the provider itself. node:inspector is loaded only when asked for.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export function startCpuProfileIfAsked(env: NodeJS.ProcessEnv): void {
  const dir = env.MESHPLANE_PROVIDER_CPU_PROFILE_DIR;
  if (!dir) return;
  const inspector = require("node:inspector") as typeof import("node:inspector");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  session.post("Profiler.start");
  // An in-process session answers synchronously, so this works inside "exit".
  process.on("exit", () => {
    session.post("Profiler.stop", (err, result) => {
      if (!err) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
