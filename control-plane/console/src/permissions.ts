import type { Namespace, WhoAmI } from "./api.ts";

// What the caller may do on a namespace, as the server decides it (authz/roles.ts): the console
// shows an action only where it would be allowed; the server still checks every call.
const KILLERS = new Set(["developer", "maintainer"]);
const within = (ns: string, scope: string) => ns === scope || ns.startsWith(`${scope}.`);

export function mayKillOrRestart(me: WhoAmI | null, namespaces: Namespace[], ns: string): boolean {
  if (!me) return false;
  if (me.platformAdmin) return true;
  // The owning team of a namespace is implicitly maintainer of its subtree.
  if (namespaces.some((n) => n.ownerTeam === me.team && within(ns, n.name))) return true;
  return me.bindings.some((b) => b.namespace !== null && KILLERS.has(b.role) && within(ns, b.namespace));
}
