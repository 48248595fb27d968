import type { Principal } from "../auth/principal.ts";
import type { MeshRepository } from "../repositories/mesh-repository.ts";
import type { ServiceDeps } from "./context.ts";
import { readableBy } from "./flow-policy.ts";

export interface MeshView {
  flows: { namespace: string; id: string; disabled: boolean; latestExecution?: { id: string; state: string; createdAt: string } }[];
  edges: { from: { namespace: string; id: string }; to: { namespace: string; id: string }; kind: string; refusedAt?: string }[];
}

/**
 * The mesh as one caller may read it, for the console's map: the live flows of the
 * namespaces it reads (namespace.read), their latest run, and the references they
 * declare — an edge is shown when its downstream flow (the one whose source declares
 * it) is readable, so an upstream in another team's namespace appears as a key only,
 * as in /dependencies. A cross-team edge carries its latest run-time refusal
 * (trigger.denied), which the flow's readers also see on its executions' triggers.
 * Cost: four queries and one cached authorization per namespace holding flows.
 */
export class MeshService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly mesh: MeshRepository,
  ) {}

  async read(principal: Principal): Promise<MeshView> {
    const readable = readableBy(this.deps, principal);
    const namespaces: string[] = [];
    for (const ns of await this.mesh.flowNamespaces()) if (await readable(ns)) namespaces.push(ns);
    if (namespaces.length === 0) return { flows: [], edges: [] };
    const [flows, edges] = await Promise.all([this.mesh.flows(namespaces), this.mesh.edges(namespaces)]);
    const refusals = await this.mesh.latestRefusals([...new Set(edges.map((e) => `${e.to.namespace}/${e.to.id}`))]);
    const refusedAt = new Map(refusals.map((r) => [edgeKey(r.flow, r.kind, r.upstream), r.at.toISOString()]));
    return {
      flows: flows.map((f) => ({
        namespace: f.namespace,
        id: f.flowId,
        disabled: f.disabled,
        ...(f.latestExecution ? { latestExecution: { id: f.latestExecution.id, state: f.latestExecution.state, createdAt: f.latestExecution.createdAt.toISOString() } } : {}),
      })),
      edges: edges.map((e) => {
        const at = refusedAt.get(edgeKey(`${e.to.namespace}/${e.to.id}`, e.kind, e.from));
        return { ...e, ...(at ? { refusedAt: at } : {}) };
      }),
    };
  }
}

function edgeKey(flow: string, kind: string, upstream: { namespace: string; id: string }): string {
  return `${flow}\u0000${kind}\u0000${upstream.namespace}\u0000${upstream.id}`;
}
