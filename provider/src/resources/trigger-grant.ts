// meshplane_trigger_grant: the producer's consent that flows of a downstream namespace
// may trigger on (or call) flows of an upstream namespace. The API has no update:
// any change replaces the grant. Import by its id.
import { ProviderError } from "../framework/diagnostics.ts";
import { defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { nameRule, seg } from "./common.ts";
import { plannedObjects } from "./planned.ts";

interface ApiGrant {
  id: string;
  upstreamNamespace: string;
  upstreamFlow: string | null;
  downstreamNamespace: string;
  kinds: string[];
  createdBy: string;
}

const KINDS = ["trigger", "subflow"];

const schema = {
  description: "Lets flows of `downstream_namespace` (and its subtree) listen to (`trigger`) or call (`subflow`) flows of `upstream_namespace`. Created by a maintainer of the upstream namespace; nothing crosses a team boundary without one. Any change replaces the grant.",
  attributes: {
    upstream_namespace: { type: "string", required: true, forceNew: true, validate: nameRule("namespace"), description: "The producer's namespace." },
    upstream_flow: { type: "string", optional: true, forceNew: true, validate: nameRule("flowId"), description: "Only this flow of the upstream namespace; omit for all of them." },
    downstream_namespace: { type: "string", required: true, forceNew: true, validate: nameRule("namespace"), description: "The consumer's namespace." },
    kinds: {
      type: ["set", "string"],
      required: true,
      forceNew: true,
      validate: (v: unknown) => {
        const bad = (v as string[]).filter((k) => !KINDS.includes(k));
        return (v as string[]).length === 0 ? "Give at least one kind: trigger and/or subflow." : bad.length ? `Unknown kind ${bad.map((k) => JSON.stringify(k)).join(", ")}; expected trigger and/or subflow.` : undefined;
      },
      description: "What is allowed: `trigger` (flow triggers) and/or `subflow` (core.subflow calls).",
    },
    id: { type: "string", computed: true, description: "The grant's id, also its import id." },
    created_by: { type: "string", computed: true, description: "Who created the grant." },
  },
} as const;

const fromApi = (g: ApiGrant) => ({
  upstream_namespace: g.upstreamNamespace,
  upstream_flow: g.upstreamFlow,
  downstream_namespace: g.downstreamNamespace,
  kinds: [...g.kinds].sort(),
  id: g.id,
  created_by: g.createdBy,
});
const path = (id: string) => `/api/v1/trigger-grants/${seg(id)}`;

export const triggerGrantResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_trigger_grant",
  schema,

  async create(ctx, plan) {
    const body = { upstreamNamespace: plan.upstream_namespace, ...(plan.upstream_flow ? { upstreamFlow: plan.upstream_flow } : {}), downstreamNamespace: plan.downstream_namespace, kinds: plan.kinds };
    const res = await ctx.client.request<ApiGrant>("POST", "/api/v1/trigger-grants", { body });
    if (res.status === 200) {
      throw new ProviderError("Trigger grant already exists", `This grant exists already (id ${res.body.id}). Import it instead: terraform import <address> ${res.body.id}`);
    }
    return fromApi(res.body);
  },

  async read(ctx, state) {
    const g = await ctx.client.getOrNull<ApiGrant>(path(state.id!));
    return g && fromApi(g);
  },

  async update(_ctx, plan, prior) {
    return { ...plan, id: prior.id, created_by: prior.created_by }; // every input is forceNew
  },

  async delete(ctx, state) {
    await ctx.client.delete(path(state.id!));
  },

  async import(ctx, id) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ProviderError("Invalid import id", `A trigger grant is imported by its id (a UUID, see GET /api/v1/trigger-grants); got ${JSON.stringify(id)}.`);
    const g = await ctx.client.getOrNull<ApiGrant>(path(id));
    return g && fromApi(g);
  },

  async modifyPlan(ctx, change) {
    // Flows planned after this one (they reference it) are validated as if it existed.
    const p = change.planned;
    if (ctx.configured) plannedObjects(ctx.client).grant(p.upstream_namespace, p.upstream_flow, p.downstream_namespace, p.kinds);
  },
});
