import { readFileSync } from "node:fs";
import { loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

/**
 * `npm run quickstart`: the control plane on the embedded PostgreSQL, a first call made
 * with the bootstrap key, and how to explore from there. Keeps serving until Ctrl-C
 * unless `once` (CI=true) is set.
 */
export async function runQuickstart(options: { once: boolean }): Promise<void> {
  const config = loadConfig({ MESHPLANE_LOG_LEVEL: "warn", ...process.env });
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  const keyFile = server.adminKeyFile ?? `${config.dataDir}/admin.key`;
  const key = config.adminApiKey ?? readKey(keyFile);
  const say = (line = "") => process.stdout.write(`${line}\n`);
  try {
    const whoami = key ? await (await fetch(`${server.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key}` } })).json() : null;
    say(`Meshplane control plane is up at ${server.url} (data in ${config.dataDir})`);
    say(`Signed in with the bootstrap key as ${JSON.stringify(whoami?.subject ?? "?")} (team ${whoami?.team ?? "?"}, platform-admin: ${whoami?.platformAdmin ?? "?"})`);
    say();
    say("Try it:");
    const keyRef = config.adminApiKey ? "$MESHPLANE_ADMIN_API_KEY" : `$(cat ${keyFile})`;
    say(`  export MESHPLANE_API_KEY=${keyRef}`);
    say(`  curl -s -H "Authorization: Bearer $MESHPLANE_API_KEY" ${server.url}/api/v1/whoami`);
    say(`  curl -s -H "Authorization: Bearer $MESHPLANE_API_KEY" -H 'Content-Type: application/json' \\`);
    say(`       -d '{"name":"sales"}' ${server.url}/api/v1/teams`);
    say(`  curl -s ${server.url}/api/v1/openapi.json | head -c 300`);
    say();
    if (options.once) return;
    say("Serving until Ctrl-C.");
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
  } finally {
    await server.close();
  }
}

function readKey(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}
