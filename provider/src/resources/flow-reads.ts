// Refreshing many flows of one namespace: Terraform reads every flow in state on
// every plan, one ReadResource each (10 at a time). Past the first few reads of a
// namespace in this process, one paginated list (500 flows a page) answers them all,
// instead of one GET per flow: the no-op plan of 1,000 flows makes 2 requests, not 1,000.
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { listAll, seg } from "./common.ts";

/** Reads of a namespace answered by GET before switching to the list. */
const DIRECT_READS = 3;
/** A list is reused this long; a plan's refresh takes far less. */
const LIST_TTL_MS = 30_000;

interface NamespaceReads<F> {
  count: number;
  list?: { at: number; flows: Promise<Map<string, F> | null> };
}

export class FlowReads<F extends { id: string }> {
  private readonly namespaces = new Map<string, NamespaceReads<F>>();
  /** Flows this process wrote: the list may predate the write, so they are read directly. */
  private readonly written = new Set<string>();

  constructor(private readonly client: MeshplaneClient) {}

  /** The flow, or null when it does not exist (or was deleted). */
  async read(namespace: string, id: string, direct: () => Promise<F | null>): Promise<F | null> {
    if (this.written.has(`${namespace}/${id}`)) return direct();
    const ns = this.namespaces.get(namespace) ?? { count: 0 };
    this.namespaces.set(namespace, ns);
    if (++ns.count <= DIRECT_READS) return direct();
    if (!ns.list || Date.now() - ns.list.at > LIST_TTL_MS) {
      // A list that fails (e.g. no permission on the whole namespace) falls back to GETs.
      const flows = listAll<F>(this.client, `/api/v1/flows/${seg(namespace)}`).then((items) => new Map(items.map((f) => [f.id, f])), () => null);
      ns.list = { at: Date.now(), flows };
    }
    const flows = await ns.list.flows;
    return flows ? (flows.get(id) ?? null) : direct();
  }

  wrote(namespace: string, id: string): void {
    this.written.add(`${namespace}/${id}`);
  }
}

const perClient = new WeakMap<MeshplaneClient, FlowReads<any>>();
export function flowReads<F extends { id: string }>(client: MeshplaneClient): FlowReads<F> {
  let r = perClient.get(client);
  if (!r) perClient.set(client, (r = new FlowReads<F>(client)));
  return r as FlowReads<F>;
}
