import { resolve } from "node:path";
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
  /** Whether this process runs the scheduler (where the orchestrator runs; MESHPLANE_SCHEDULER=off turns it off). */
  readonly scheduler: boolean;
  readonly logLevel: string;
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
  MESHPLANE_SCHEDULER: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
  MESHPLANE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
} as const;

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
    scheduler: r.MESHPLANE_SCHEDULER === "on",
    logLevel: r.MESHPLANE_LOG_LEVEL,
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
