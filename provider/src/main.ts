// terraform-provider-meshplane's entry point. Started by Terraform (with its magic
// cookie) it serves the plugin protocol; started by a person it says what it is.
import { startCpuProfileIfAsked } from "./plugin/cpu-profile.ts";
import { hasMagicCookie, NOT_A_COMMAND } from "./plugin/handshake.ts";
import { createLogger } from "./plugin/hclog.ts";
import { serve } from "./plugin/serve.ts";
import { meshplaneProvider } from "./meshplane/provider.ts";
import { dataSources, resources, testResourcesEnabled } from "./resources/index.ts";
import { sqlDomainFunction } from "./functions/sql-domain.ts";

function main(): void {
  if (!hasMagicCookie(process.env)) {
    process.stderr.write(NOT_A_COMMAND);
    process.exit(1);
  }
  startCpuProfileIfAsked(process.env);
  const log = createLogger("meshplane");
  // Nothing but the handshake may reach stdout: route stray console output to the log.
  console.log = console.info = (...args: unknown[]) => log.info(args.map(String).join(" "));
  process.on("uncaughtException", (e) => log.error("uncaught exception", { error: e.stack ?? String(e) }));
  process.on("unhandledRejection", (e) => log.error("unhandled rejection", { error: String(e) }));

  const env = process.env;
  serve(meshplaneProvider({ resources: resources(env), dataSources: dataSources(env), functions: [sqlDomainFunction], endpointOptional: testResourcesEnabled(env) }), env, log);
}

main();
