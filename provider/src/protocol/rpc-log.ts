// MESHPLANE_PROVIDER_RPC_LOG=<file>: every provider process appends one JSON line
// when a PlanResourceChange or ApplyResourceChange begins and ends (pid, rpc, type,
// the object's names from its configuration). For seeing (and testing) the order in
// which Terraform really plans and applies resources across its provider processes;
// off, and free, unless set.
import { appendFileSync } from "node:fs";

const NAMES = ["name", "namespace", "flow_id", "upstream_namespace", "downstream_namespace"];

export type RpcLog = (rpc: string, phase: "begin" | "end", typeName: string, config: unknown) => void;

export function rpcLogFromEnv(env: NodeJS.ProcessEnv): RpcLog | undefined {
  const file = env.MESHPLANE_PROVIDER_RPC_LOG;
  if (!file) return undefined;
  return (rpc, phase, type, config) => {
    const o = (config ?? {}) as Record<string, unknown>;
    const names = Object.fromEntries(NAMES.filter((k) => typeof o[k] === "string").map((k) => [k, o[k]]));
    // One short write with O_APPEND: lines of concurrent processes do not interleave.
    appendFileSync(file, JSON.stringify({ pid: process.pid, rpc, phase, type, ...names }) + "\n");
  };
}
