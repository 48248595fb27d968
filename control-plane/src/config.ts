import { join, resolve } from "node:path";
import { z } from "zod";

/** Everything `meshplane serve` reads from its environment (SPEC §5). */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** undefined = the embedded PostgreSQL inside dataDir. */
  readonly databaseUrl: string | undefined;
  readonly adminApiKey: string | undefined;
  readonly jwtSecret: string | undefined;
  readonly jwtTtlSeconds: number;
  readonly bodyLimitBytes: number;
  /** PostgreSQL cancels any statement of the API's pools running longer (statement_timeout). */
  readonly statementTimeoutMs: number;
  readonly rateLimitPerMinute: number;
  /** Task runs this process runs at once; 0 = an API-only replica (no executor, no workers). */
  readonly workerConcurrency: number;
  /** A worker's claim not renewed for this long is resubmitted to another worker. */
  readonly workerLeaseMs: number;
  /** How often a worker renews the leases of the task runs it holds (below workerLeaseMs). */
  readonly workerHeartbeatMs: number;
  /** On SIGTERM, running task runs get this long to finish; the rest are left to their lease. */
  readonly shutdownGraceMs: number;
  /** Ended executions older than this many days are purged with their task runs, events and logs. */
  readonly retentionDays: number;
  /** How often the retention purge runs. */
  readonly retentionIntervalMs: number;
  /** `meshplane worker` only: serve GET /metrics and /healthz on this port (undefined: no HTTP at all). */
  readonly metricsPort: number | undefined;
  /** Whether this process runs the scheduler (where the orchestrator runs; MESHPLANE_SCHEDULER=off turns it off). */
  readonly scheduler: boolean;
  readonly logLevel: string;
  /** Check every reply against its route's declared response schema (a mismatch is a 500); on under NODE_ENV=test. */
  readonly checkResponses: boolean;
  /** Open GET /executions/{id}/follow streams per process; one more is a 503. */
  readonly followMaxStreams: number;
  readonly followHeartbeatMs: number;
  /** OIDC issuers whose tokens POST /auth/token may exchange (SPEC §12); empty = none. */
  readonly oidcIssuers: readonly string[];
  /** After a JWKS fetch, an unknown `kid` refetches only once this long has passed. */
  readonly oidcJwksCooldownSeconds: number;
  /** Where sql.query runs (SPEC §10): the embedded DuckDB file, or BigQuery. */
  readonly warehouse: "duckdb" | "bigquery";
  /** The DuckDB file (default `<data dir>/warehouse.duckdb`). */
  readonly duckDbPath: string;
  /** BigQuery: the project jobs run in when a table names none. */
  readonly bigQueryProject: string | undefined;
}

/** Bad configuration: one line that names the variable and what is expected. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const variables = {
  MESHPLANE_PORT: intIn(0, 65535).default(8080),
  MESHPLANE_HOST: z.string().min(1).default("127.0.0.1"),
  MESHPLANE_DATA_DIR: z.string().min(1).default("./.meshplane"),
  MESHPLANE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// URL (unset it to use the embedded PostgreSQL)")
    .optional(),
  MESHPLANE_ADMIN_API_KEY: z
    .string()
    .regex(/^mp_[A-Za-z0-9_-]{32,}$/, "must look like mp_ followed by at least 32 letters, digits, '-' or '_'")
    .optional(),
  MESHPLANE_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  MESHPLANE_JWT_TTL_SECONDS: intIn(30, 86_400).default(900),
  MESHPLANE_BODY_LIMIT_BYTES: intIn(1024, 64 * 1024 * 1024).default(1024 * 1024),
  MESHPLANE_STATEMENT_TIMEOUT_MS: intIn(1_000, 3_600_000).default(30_000),
  MESHPLANE_RATE_LIMIT_PER_MINUTE: intIn(1, 10_000_000).default(30_000),
  MESHPLANE_WORKER_CONCURRENCY: intIn(0, 1_000).default(8),
  MESHPLANE_WORKER_LEASE_MS: intIn(1_000, 3_600_000).default(30_000),
  MESHPLANE_WORKER_HEARTBEAT_MS: intIn(100, 1_800_000).default(10_000),
  MESHPLANE_SHUTDOWN_GRACE_MS: intIn(0, 3_600_000).default(10_000),
  MESHPLANE_RETENTION_DAYS: intIn(1, 36_500).default(30),
  MESHPLANE_RETENTION_INTERVAL_MS: intIn(1_000, 86_400_000).default(3_600_000),
  MESHPLANE_METRICS_PORT: intIn(0, 65535).optional(),
  MESHPLANE_SCHEDULER: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  MESHPLANE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MESHPLANE_CHECK_RESPONSES: z.enum(["0", "1"], { error: "must be 0 or 1" }).optional(),
  MESHPLANE_FOLLOW_MAX_STREAMS: intIn(1, 100_000).default(100),
  MESHPLANE_FOLLOW_HEARTBEAT_MS: intIn(100, 3_600_000).default(15_000),
  MESHPLANE_OIDC_ISSUERS: z
    .string()
    .transform((value, ctx) => {
      const issuers: string[] = [];
      for (const item of value.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
        const problem = issuerProblem(item);
        if (problem) {
          ctx.addIssue({ code: "custom", message: `${JSON.stringify(item)} ${problem}` });
          return z.NEVER;
        }
        issuers.push(item);
      }
      return issuers;
    })
    .default([]),
  MESHPLANE_OIDC_JWKS_COOLDOWN_SECONDS: intIn(0, 3_600).default(30),
  MESHPLANE_WAREHOUSE: z.enum(["duckdb", "bigquery"], { error: "must be duckdb (the embedded warehouse file) or bigquery" }).default("duckdb"),
  MESHPLANE_DUCKDB_PATH: z.string().min(1).optional(),
  MESHPLANE_BIGQUERY_PROJECT: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a Google Cloud project id such as acme-shop").optional(),
} as const;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * An issuer is compared with a token's `iss` as written, and its keys are fetched from
 * it: https only (keys fetched in clear text could be swapped on the way), except on the
 * loopback interface, where nothing travels (local test issuers).
 */
export function issuerProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return "is not a URL such as https://token.actions.githubusercontent.com";
  }
  if (url.search || url.hash || url.username || url.password) return "must be a plain issuer URL, without query, fragment or credentials";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && (LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname))) return undefined;
  if (url.protocol === "http:") return "uses http on a non-loopback host; issuers must use https (http only on 127.0.0.1, localhost or [::1])";
  return "must be an https:// URL";
}

type Raw = { [K in keyof typeof variables]: z.output<(typeof variables)[K]> };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = {} as Record<string, unknown>;
  for (const [name, schema] of Object.entries(variables)) {
    const value = env[name] === "" ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(name, `${issue?.message ?? "invalid"} (got ${JSON.stringify(redactIfSecret(name, value))})`);
    }
    raw[name] = parsed.data;
  }
  const r = raw as Raw;
  // A heartbeat as slow as the lease would let live workers' runs expire and run twice.
  if (r.MESHPLANE_WORKER_HEARTBEAT_MS * 2 > r.MESHPLANE_WORKER_LEASE_MS) {
    throw new ConfigError(
      "MESHPLANE_WORKER_HEARTBEAT_MS",
      `must be at most half of MESHPLANE_WORKER_LEASE_MS (${r.MESHPLANE_WORKER_LEASE_MS}), so that a live worker renews its leases before they expire (got ${JSON.stringify(String(r.MESHPLANE_WORKER_HEARTBEAT_MS))})`,
    );
  }
  if (r.MESHPLANE_WAREHOUSE === "bigquery" && !r.MESHPLANE_BIGQUERY_PROJECT) {
    throw new ConfigError("MESHPLANE_BIGQUERY_PROJECT", "is needed with MESHPLANE_WAREHOUSE=bigquery: the project BigQuery jobs run in (e.g. acme-shop)");
  }
  return {
    port: r.MESHPLANE_PORT,
    host: r.MESHPLANE_HOST,
    dataDir: resolve(r.MESHPLANE_DATA_DIR),
    databaseUrl: r.MESHPLANE_DATABASE_URL,
    adminApiKey: r.MESHPLANE_ADMIN_API_KEY,
    jwtSecret: r.MESHPLANE_JWT_SECRET,
    jwtTtlSeconds: r.MESHPLANE_JWT_TTL_SECONDS,
    bodyLimitBytes: r.MESHPLANE_BODY_LIMIT_BYTES,
    statementTimeoutMs: r.MESHPLANE_STATEMENT_TIMEOUT_MS,
    rateLimitPerMinute: r.MESHPLANE_RATE_LIMIT_PER_MINUTE,
    workerConcurrency: r.MESHPLANE_WORKER_CONCURRENCY,
    workerLeaseMs: r.MESHPLANE_WORKER_LEASE_MS,
    workerHeartbeatMs: r.MESHPLANE_WORKER_HEARTBEAT_MS,
    shutdownGraceMs: r.MESHPLANE_SHUTDOWN_GRACE_MS,
    retentionDays: r.MESHPLANE_RETENTION_DAYS,
    retentionIntervalMs: r.MESHPLANE_RETENTION_INTERVAL_MS,
    metricsPort: r.MESHPLANE_METRICS_PORT,
    scheduler: r.MESHPLANE_SCHEDULER === "on",
    logLevel: r.MESHPLANE_LOG_LEVEL,
    checkResponses: r.MESHPLANE_CHECK_RESPONSES === undefined ? env["NODE_ENV"] === "test" : r.MESHPLANE_CHECK_RESPONSES === "1",
    followMaxStreams: r.MESHPLANE_FOLLOW_MAX_STREAMS,
    followHeartbeatMs: r.MESHPLANE_FOLLOW_HEARTBEAT_MS,
    oidcIssuers: r.MESHPLANE_OIDC_ISSUERS,
    oidcJwksCooldownSeconds: r.MESHPLANE_OIDC_JWKS_COOLDOWN_SECONDS,
    warehouse: r.MESHPLANE_WAREHOUSE,
    duckDbPath: resolve(r.MESHPLANE_DUCKDB_PATH ?? join(r.MESHPLANE_DATA_DIR, "warehouse.duckdb")),
    bigQueryProject: r.MESHPLANE_BIGQUERY_PROJECT,
  };
}

function redactIfSecret(name: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  // Not a single character of a secret: a short or mistyped one would be half given away.
  if (name.includes("DATABASE_URL")) {
    const scheme = /^([a-z][a-z0-9+.-]{0,20}):\/\//i.exec(value)?.[1];
    return `${scheme ? `${scheme}://` : ""}… (hidden, ${value.length} characters)`;
  }
  if (name.includes("KEY") || name.includes("SECRET")) return `(hidden, ${value.length} characters)`;
  return value;
}
