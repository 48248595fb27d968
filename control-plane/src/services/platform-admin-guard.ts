import { ConflictError } from "../errors.ts";
import { platformAdminRepository } from "../repositories/platform-admin-repository.ts";
import type { Tx } from "../repositories/tx.ts";

/**
 * The platform must keep at least one usable platform admin: a service account bound to
 * the global platform-admin role (itself or through its team) with a live API key. Every
 * change that can remove the last one (deleting the account, revoking its key, deleting
 * the binding) runs `change` between a count before and a count after, under one lock,
 * inside the caller's transaction; a change that would leave none is refused (409) and
 * rolled back with it. Keys that expire on their own are the break-glass case
 * (`meshplane admin recover` on the server's host).
 */
export async function keepingAPlatformAdmin<T>(tx: Tx, what: string, change: () => Promise<T>): Promise<T> {
  await platformAdminRepository.lock(tx);
  const now = new Date();
  const before = await platformAdminRepository.countUsable(tx, now);
  const result = await change();
  if (before > 0 && (await platformAdminRepository.countUsable(tx, now)) === 0) {
    throw new ConflictError(
      `${what} would leave no platform admin able to sign in (no other service account holds the platform-admin role and a usable API key). ` +
        `Bind platform-admin to another service account that has a key first (POST /api/v1/role-bindings with role platform-admin), then retry. ` +
        `Locked out already: run \`meshplane admin recover\` on the server's host.`,
      { lastPlatformAdmin: true },
    );
  }
  return result;
}
