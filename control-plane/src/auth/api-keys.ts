import { createHash, randomBytes } from "node:crypto";

/**
 * API keys: `mp_` + 43 base64url characters (256 random bits). Only a sha256 is stored:
 * with that much entropy a slow password hash adds nothing but latency on every call.
 */
export const API_KEY_PATTERN = /^mp_[A-Za-z0-9_-]{32,}$/;

export function generateApiKey(): string {
  return `mp_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Shown in listings so a key can be recognised without revealing it. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 7);
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith("mp_");
}
