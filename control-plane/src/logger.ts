import pino, { type Logger } from "pino";

/**
 * JSON logs on stderr. Keys and tokens must never reach them: request logging logs
 * method, path and status only, and these paths are censored as a second line of defence.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: "meshplane" },
      redact: {
        paths: [
          "req.headers.authorization",
          "headers.authorization",
          "authorization",
          "api_key",
          "apiKey",
          "key",
          "access_token",
          "token",
          "*.api_key",
          "*.key",
          "*.access_token",
          "*.token",
          "password",
          "*.password",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}

export type { Logger };
