import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Principal } from "../auth/principal.ts";
import { TooManyRequestsError } from "../errors.ts";

/**
 * The two limits around authentication (README "Rate limits and refusals"), both per
 * minute and both `MESHPLANE_RATE_LIMIT_PER_MINUTE`: an attacker guessing keys from one
 * address costs the database no more lookups than one key may make requests.
 */
const WINDOW_MS = 60_000;

/**
 * Before any key is looked up: an address whose credentials failed that often in the
 * minute is refused without touching the database. Only 401s count (an answer that is
 * not a 401 gives its hit back), so a CI runner sending many good requests from one
 * address never meets this limit; the per-key limit does.
 */
export function failedAuthenticationLimit(limit: number): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    // The RateLimit headers describe the per-key budget, the one a client plans with.
    standardHeaders: false,
    legacyHeaders: false,
    requestPropertyName: "failedAuthentications",
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? "unknown"),
    handler: (req, res, next, opts) => {
      res.setHeader("Retry-After", String(secondsUntilReset(req)));
      next(
        new TooManyRequestsError(
          `more than ${opts.limit} failed authentications in a minute from this address; check the API key or token you send, then retry after the Retry-After delay`,
        ),
      );
    },
  });
}

/** After authentication: a key and the tokens exchanged from it share one budget; calls without a credential count per address. */
export function perKeyLimit(limit: number): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    // Draft 7's combined header: draft 8 adds a partition key that costs a SHA-256 per
    // request (~3 % of a small request's CPU) to tell clients what they already know.
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: (req, res) => (res.locals["principal"] as Principal | undefined)?.rateKey ?? ipKeyGenerator(req.ip ?? "unknown"),
    handler: (_req, _res, next, opts) =>
      next(new TooManyRequestsError(`more than ${opts.limit} requests in a minute for this key; slow down and retry after the Retry-After delay`)),
  });
}

function secondsUntilReset(req: Request): number {
  const reset = (req as { failedAuthentications?: { resetTime?: Date } }).failedAuthentications?.resetTime;
  return reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : WINDOW_MS / 1000;
}
