import { mkdirSync } from "node:fs";
import { bootstrapAdmin } from "../bootstrap.ts";
import { ConfigError, type Config } from "../config.ts";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../db/embedded-postgres.ts";
import { migrate } from "../db/migrate.ts";
import type { Logger } from "../logger.ts";
import type { Component } from "./component.ts";

/**
 * The database of a process, first started and last stopped: the embedded PostgreSQL in
 * the data dir (unless MESHPLANE_DATABASE_URL is set), the migrations (under
 * PostgreSQL's advisory lock: replicas and workers may start together), and for `serve`
 * the bootstrap of the first platform-admin key. Pools are other components.
 */
export class DatabaseComponent implements Component {
  readonly name = "database";
  private embedded: EmbeddedDatabase | undefined;
  private databaseUrl: string | undefined;
  private keyFile: string | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly options: { readonly bootstrap: boolean },
  ) {}

  get url(): string {
    if (!this.databaseUrl) throw new Error("the database is not started");
    return this.databaseUrl;
  }

  /** Where the bootstrap wrote the first admin key (undefined when the database had one). */
  get adminKeyFile(): string | undefined {
    return this.keyFile;
  }

  async start(): Promise<void> {
    const { config, logger } = this;
    if (this.options.bootstrap || !config.databaseUrl) {
      try {
        mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw new ConfigError("MESHPLANE_DATA_DIR", `cannot create ${config.dataDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    }
    if (!config.databaseUrl) this.embedded = await startEmbeddedPostgres(config.dataDir, logger);
    const url = config.databaseUrl ?? this.embedded!.url;
    try {
      await migrate(url, logger).catch((error: unknown) => {
        throw config.databaseUrl ? unreachableDatabase(config.databaseUrl, error) ?? error : error;
      });
      if (this.options.bootstrap) this.keyFile = (await bootstrapAdmin(url, config.dataDir, config.adminApiKey, logger)).keyFile;
    } catch (error) {
      await this.embedded?.stop();
      throw error;
    }
    this.databaseUrl = url;
    logger.info({ database: this.embedded ? "embedded" : "external" }, "database ready");
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}

/**
 * An external PostgreSQL that cannot be reached, refuses our credentials or lacks the
 * database: one line naming MESHPLANE_DATABASE_URL, with the URL's password left out.
 */
function unreachableDatabase(url: string, error: unknown): ConfigError | undefined {
  const e = error as { code?: string; message?: string };
  const codes: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ENOTFOUND: "unknown host",
    EAI_AGAIN: "host name lookup failed",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    "28P01": "password authentication failed",
    "28000": "authentication refused",
    "3D000": "the database does not exist",
  };
  const reason = e?.code ? codes[e.code] : undefined;
  if (!reason) return undefined;
  let where = "the server";
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    /* keep the generic wording */
  }
  return new ConfigError("MESHPLANE_DATABASE_URL", `cannot use the PostgreSQL at ${where}: ${reason}`);
}
