// What this provider process has planned so far: the namespaces, trigger grants and
// flows whose PlanResourceChange it answered (create or update; a destroy is never
// planned here, we do not advertise plan_destroy). Terraform plans a resource only
// after everything it references or `depends_on`, and applies in that order too, so
// when a flow is validated the objects it needs from this same configuration have
// been recorded: they go to POST /flows/validate as `planned`, and what this plan
// creates is not a plan-time error.
//
// One record per provider configuration (a process each), shared with the other
// provider processes of the same terraform command (planned-share.ts): a namespace
// planned through an aliased provider block counts for the default one's flows.
// A value known only after apply is left out (the API then says "not decided before
// apply" as a warning rather than guessing).
import { isWhollyKnown } from "../framework/values.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { isUnknown } from "../wire/types.ts";
import { sharedPlanFiles, type SharedPlanFiles, type SharedRecord } from "./planned-share.ts";

interface PlannedNamespace {
  name?: string;
  ownerTeam?: string;
}
interface PlannedGrant {
  upstreamNamespace?: string;
  upstreamFlow?: string | null;
  downstreamNamespace?: string;
  kinds?: string[];
}
interface PlannedFlow {
  namespace: string;
  id: string;
}
export interface PlannedPayload {
  namespaces?: PlannedNamespace[];
  triggerGrants?: PlannedGrant[];
  flows?: PlannedFlow[];
}

/** A known string, or undefined (left out of the record) when only apply will know it. */
const known = (v: unknown): string | undefined => (typeof v === "string" && !isUnknown(v) ? v : undefined);
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export class PlannedObjects {
  // Keyed by content: the apply re-plans every resource, and one object is one record.
  private readonly namespaces = new Map<string, PlannedNamespace>();
  private readonly grants = new Map<string, PlannedGrant>();
  private readonly flows = new Map<string, PlannedFlow>();

  /** `shared`: the other provider processes of this terraform run (planned-share.ts). */
  constructor(private readonly shared?: SharedPlanFiles) {}

  namespace(name: unknown, ownerTeam: unknown): void {
    this.add({ kind: "namespace", ...compact({ name: known(name), ownerTeam: known(ownerTeam) }) }, true);
  }

  grant(upstreamNamespace: unknown, upstreamFlow: unknown, downstreamNamespace: unknown, kinds: unknown): void {
    const g = compact({
      upstreamNamespace: known(upstreamNamespace),
      upstreamFlow: upstreamFlow === null ? null : known(upstreamFlow),
      downstreamNamespace: known(downstreamNamespace),
      kinds: Array.isArray(kinds) && isWhollyKnown(kinds) ? [...(kinds as string[])].sort() : undefined,
    });
    this.add({ kind: "grant", ...g }, true);
  }

  flow(namespace: unknown, id: unknown): void {
    const ns = known(namespace), flowId = known(id);
    if (ns !== undefined && flowId !== undefined) this.add({ kind: "flow", namespace: ns, id: flowId }, true);
  }

  /** A sibling's record, rebuilt field by field: only what the API's schema takes is sent. */
  private adopt(r: SharedRecord): void {
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    if (r.kind === "namespace") this.add({ kind: "namespace", ...compact({ name: str(r.name), ownerTeam: str(r.ownerTeam) }) }, false);
    else if (r.kind === "flow" && str(r.namespace) && str(r.id)) this.add({ kind: "flow", namespace: str(r.namespace), id: str(r.id) }, false);
    else if (r.kind === "grant") {
      const kinds = Array.isArray(r.kinds) && r.kinds.every((k) => typeof k === "string") ? (r.kinds as string[]) : undefined;
      const upstreamFlow = r.upstreamFlow === null ? null : str(r.upstreamFlow);
      this.add({ kind: "grant", ...compact({ upstreamNamespace: str(r.upstreamNamespace), upstreamFlow, downstreamNamespace: str(r.downstreamNamespace), kinds }) }, false);
    }
  }

  private add(record: SharedRecord, own: boolean): void {
    const { kind, ...fields } = record;
    const key = JSON.stringify(fields);
    const map: Map<string, object> = kind === "namespace" ? this.namespaces : kind === "grant" ? this.grants : this.flows;
    if (map.has(key)) return;
    map.set(key, fields);
    if (own) this.shared?.write(record);
  }

  /** Whether this plan creates `namespace` or an ancestor of it (or one whose name only apply knows). */
  governsPlanned(namespace: string): boolean {
    for (const r of this.shared?.readNew() ?? []) this.adopt(r);
    return [...this.namespaces.values()].some((n) => n.name === undefined || namespace === n.name || namespace.startsWith(`${n.name}.`));
  }

  /**
   * What to send with the validation of `source`: only records whose known names all
   * occur in its text (a flow can only mention what its YAML spells out, and an
   * ancestor's name is a prefix of its descendants'), so a plan of 1,000 flows does
   * not send 1,000 records with each of them. Undefined when nothing is relevant (then
   * the YAML goes alone, as it always did).
   */
  forSource(source: string, self?: PlannedFlow): PlannedPayload | undefined {
    for (const r of this.shared?.readNew() ?? []) this.adopt(r);
    const mentioned = (...names: (string | null | undefined)[]) => names.every((n) => n == null || source.includes(n));
    const namespaces = [...this.namespaces.values()].filter((n) => mentioned(n.name));
    const triggerGrants = [...this.grants.values()].filter((g) => mentioned(g.upstreamNamespace, g.downstreamNamespace, g.upstreamFlow));
    // The flow itself is no news to the API (a reference to itself is never "not registered").
    const flows = [...this.flows.values()].filter((f) => mentioned(f.namespace, f.id) && !(f.namespace === self?.namespace && f.id === self.id));
    if (namespaces.length + triggerGrants.length + flows.length === 0) return undefined;
    return compact({
      namespaces: namespaces.length ? namespaces : undefined,
      triggerGrants: triggerGrants.length ? triggerGrants : undefined,
      flows: flows.length ? flows : undefined,
    });
  }
}

const perClient = new WeakMap<MeshplaneClient, PlannedObjects>();
/** The record of the process's provider configuration (one client per configured provider), shared with its siblings. */
export function plannedObjects(client: MeshplaneClient): PlannedObjects {
  let p = perClient.get(client);
  if (!p) perClient.set(client, (p = new PlannedObjects(sharedPlanFiles(client.endpoint))));
  return p;
}
