import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { bootstrapAdmin, jwtSecretFor } from "./bootstrap.ts";
import type { Config } from "./config.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./db/embedded-postgres.ts";
import { migrate, pendingMigrations } from "./db/migrate.ts";
import { createPrismaClient } from "./db/prisma.ts";
import { createApp } from "./http/app.ts";
import type { Logger } from "./logger.ts";
import { createServices } from "./services/index.ts";
import { VERSION } from "./version.ts";

export interface RunningServer {
  readonly url: string;
  readonly databaseUrl: string;
  readonly adminKeyFile: string | undefined;
  close(): Promise<void>;
}

/** Database up → migrations → bootstrap → HTTP. `close` undoes it all, in reverse. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) embedded = await startEmbeddedPostgres(config.dataDir, logger);
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  try {
    await migrate(databaseUrl, logger);
    const boot = await bootstrapAdmin(databaseUrl, config.dataDir, config.adminApiKey, logger);
    const db = createPrismaClient(databaseUrl);
    const services = createServices(db, logger, jwtSecretFor(config.dataDir, config.jwtSecret), config.jwtTtlSeconds);
    const app = createApp({
      services,
      logger,
      bodyLimitBytes: config.bodyLimitBytes,
      rateLimitPerMinute: config.rateLimitPerMinute,
      version: VERSION,
      readiness: async () => {
        const pending = await pendingMigrations((sql) => db.$queryRawUnsafe(sql));
        return pending.length === 0 ? { ready: true, detail: "database reachable, migrations applied" } : { ready: false, detail: `pending migrations: ${pending.join(", ")}` };
      },
    });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.on("error", reject);
    });
    server.keepAliveTimeout = 65_000;
    const address = server.address() as AddressInfo;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${address.port}`;
    logger.info({ url, database: embedded ? "embedded" : "external" }, "meshplane control plane listening");
    let closing: Promise<void> | undefined;
    return {
      url,
      databaseUrl,
      adminKeyFile: boot.keyFile,
      close: () =>
        (closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            setTimeout(() => server.closeAllConnections(), 5_000).unref();
          });
          await db.$disconnect();
          await embedded?.stop();
        })()),
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
