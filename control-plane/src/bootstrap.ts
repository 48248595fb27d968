import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { apiKeyPrefix, generateApiKey, hashApiKey } from "./auth/api-keys.ts";
import type { Logger } from "./logger.ts";

/**
 * On an empty database, registers the platform admin: team `platform`, service account
 * `platform-admin` bound to the global platform-admin role, and one API key: the one in
 * MESHPLANE_ADMIN_API_KEY, or a generated one written to <data dir>/admin.key (0600).
 * Runs under an advisory lock so replicas starting together bootstrap once.
 */
const BOOTSTRAP_LOCK = 72707370;

export interface BootstrapResult {
  /** Set when this start created the admin key. */
  readonly created: boolean;
  /** Where a generated key was written. */
  readonly keyFile?: string;
}

export async function bootstrapAdmin(databaseUrl: string, dataDir: string, adminApiKey: string | undefined, logger: Logger): Promise<BootstrapResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [BOOTSTRAP_LOCK]);
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM service_accounts");
    if (Number(rows[0]?.n) > 0) {
      await client.query("COMMIT");
      if (adminApiKey) {
        const known = await client.query("SELECT 1 FROM api_keys WHERE hash = $1", [hashApiKey(adminApiKey)]);
        if (known.rowCount === 0) logger.warn("MESHPLANE_ADMIN_API_KEY is ignored: the database already has service accounts, and this key is not one of their keys");
      }
      return { created: false };
    }
    const key = adminApiKey ?? generateApiKey();
    const team = await client.query<{ id: string }>(
      `INSERT INTO teams (id, name, description) VALUES (gen_random_uuid(), 'platform', 'The platform team')
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    );
    const sa = await client.query<{ id: string }>(
      `INSERT INTO service_accounts (id, name, team_id, description) VALUES (gen_random_uuid(), 'platform-admin', $1, 'Bootstrap platform administrator') RETURNING id`,
      [team.rows[0]!.id],
    );
    const saId = sa.rows[0]!.id;
    await client.query(`INSERT INTO role_bindings (id, namespace, role, service_account_id) VALUES (gen_random_uuid(), NULL, 'platform-admin', $1)`, [saId]);
    const keyRow = await client.query<{ id: string }>(
      `INSERT INTO api_keys (id, service_account_id, hash, prefix) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
      [saId, hashApiKey(key), apiKeyPrefix(key)],
    );
    await client.query(
      `INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, after) VALUES ('meshplane', 'system', 'bootstrap', 'api-key', $1, $2)`,
      [keyRow.rows[0]!.id, JSON.stringify({ serviceAccount: "platform-admin", role: "platform-admin" })],
    );
    let keyFile: string | undefined;
    if (!adminApiKey) {
      keyFile = join(dataDir, "admin.key");
      writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    }
    await client.query("COMMIT");
    return { created: true, ...(keyFile ? { keyFile } : {}) };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

export interface RecoveryResult {
  readonly keyFile: string;
  readonly serviceAccount: string;
}

/**
 * Break-glass (`meshplane admin recover`, run on the server's host): mints a new key for
 * the `platform-admin` service account — created in team `platform`, and bound to the
 * global platform-admin role, if it no longer is — and writes it to
 * <data dir>/admin.key (0600), replacing the file. Audited as `admin.recover` by
 * subject `meshplane` (kind `system`). Only someone who can read the data dir or the
 * database URL can run it, which is who could read the database anyway.
 */
export async function recoverAdmin(databaseUrl: string, dataDir: string, operator: string): Promise<RecoveryResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const keyFile = join(dataDir, "admin.key");
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [BOOTSTRAP_LOCK]);
    const team = await client.query<{ id: string }>(
      `INSERT INTO teams (id, name, description) VALUES (gen_random_uuid(), 'platform', 'The platform team')
       ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    );
    let sa = await client.query<{ id: string }>(`SELECT id FROM service_accounts WHERE name = 'platform-admin'`);
    const createdServiceAccount = sa.rowCount === 0;
    if (createdServiceAccount) {
      sa = await client.query<{ id: string }>(
        `INSERT INTO service_accounts (id, name, team_id, description) VALUES (gen_random_uuid(), 'platform-admin', $1, 'Platform administrator (recovered)') RETURNING id`,
        [team.rows[0]!.id],
      );
    }
    const saId = sa.rows[0]!.id;
    const bound = await client.query(`SELECT 1 FROM role_bindings WHERE service_account_id = $1 AND role = 'platform-admin' AND namespace IS NULL`, [saId]);
    const createdBinding = bound.rowCount === 0;
    if (createdBinding) await client.query(`INSERT INTO role_bindings (id, namespace, role, service_account_id) VALUES (gen_random_uuid(), NULL, 'platform-admin', $1)`, [saId]);
    const key = generateApiKey();
    const keyRow = await client.query<{ id: string }>(
      `INSERT INTO api_keys (id, service_account_id, hash, prefix) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
      [saId, hashApiKey(key), apiKeyPrefix(key)],
    );
    await client.query(
      `INSERT INTO audit_events (subject, subject_kind, action, resource_type, resource_id, after) VALUES ('meshplane', 'system', 'admin.recover', 'api-key', $1, $2)`,
      [keyRow.rows[0]!.id, JSON.stringify({ breakGlass: true, serviceAccount: "platform-admin", role: "platform-admin", createdServiceAccount, createdBinding, operator, host: hostname() })],
    );
    // Written beside, then renamed over: the file is never readable by others, even for a moment.
    const partial = `${keyFile}.${process.pid}.tmp`;
    writeFileSync(partial, `${key}\n`, { mode: 0o600 });
    renameSync(partial, keyFile);
    await client.query("COMMIT");
    return { keyFile, serviceAccount: "platform-admin" };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** MESHPLANE_JWT_SECRET, or a generated secret kept in the data dir (0600). */
export function jwtSecretFor(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = join(dataDir, "jwt.secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
