// Logs go to stderr as hclog JSON lines, which go-plugin in Terraform re-emits at
// their own level (TF_LOG=debug terraform plan). Terraform only trusts a line's
// level when @timestamp has exactly six fractional digits. stdout is reserved for
// the handshake line.
import { writeSync } from "node:fs";
import type { Logger } from "../framework/resource.ts";

const LEVELS = ["trace", "debug", "info", "warn", "error", "off"] as const;
type Level = (typeof LEVELS)[number];

function levelFromEnv(env: NodeJS.ProcessEnv): Level {
  const raw = (env.TF_LOG_PROVIDER_MESHPLANE || env.TF_LOG_PROVIDER || env.TF_LOG || "").toLowerCase();
  if (raw === "json") return "trace";
  return (LEVELS as readonly string[]).includes(raw) ? (raw as Level) : "info";
}

/** 2025-01-02T03:04:05.123456Z: hclog's JSON time format, always six digits. */
export function hclogTimestamp(date = new Date(), micros = Math.floor((performance.now() % 1) * 1000)): string {
  return `${date.toISOString().slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
}

export function createLogger(module = "meshplane", env: NodeJS.ProcessEnv = process.env, fd = 2): Logger {
  const min = LEVELS.indexOf(levelFromEnv(env));
  const emit = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(level) < min) return;
    const line = { "@level": level, "@message": message, "@module": module, "@timestamp": hclogTimestamp(), ...fields };
    try {
      writeSync(fd, JSON.stringify(line, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) + "\n");
    } catch {
      // stderr closed (Terraform gone): nothing useful left to do with a log line.
    }
  };
  return {
    trace: (m, f) => emit("trace", m, f),
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}
