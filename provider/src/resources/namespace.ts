// meshplane_namespace: a dotted namespace (retail.sales) owned by one team. The owner,
// description and labels change in place; the name cannot (flows and tables live in it).
import { defineDataSource, defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { deleteWaitingForDependents, descriptionAttribute, nameRule, seg, stringMap } from "./common.ts";
import { plannedObjects } from "./planned.ts";

interface ApiNamespace {
  name: string;
  ownerTeam: string;
  description: string;
  labels: Record<string, string>;
}

const schema = {
  description: "A Meshplane namespace: a dotted hierarchy (`retail`, `retail.sales`) owned by one team, which is implicitly `maintainer` of its subtree. Needs `platform-admin`.",
  attributes: {
    name: { type: "string", required: true, forceNew: true, validate: nameRule("namespace"), description: "Dotted name, segments of `[a-z0-9_]`, e.g. `retail.sales`. Changing it replaces the namespace (which must then be empty)." },
    owner_team: { type: "string", required: true, validate: nameRule("team"), description: "The team that owns the namespace and its subtree. Changes in place." },
    description: descriptionAttribute("namespace"),
    labels: { type: ["map", "string"], optional: true, computed: true, default: {}, description: "Labels (lowercase keys). Defaults to none." },
  },
} as const;

const fromApi = (n: ApiNamespace) => ({ name: n.name, owner_team: n.ownerTeam, description: n.description, labels: stringMap(n.labels) });
const path = (name: string) => `/api/v1/namespaces/${seg(name)}`;

export const namespaceResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_namespace",
  schema,

  async create(ctx, plan) {
    const body = { name: plan.name, ownerTeam: plan.owner_team, description: plan.description ?? "", labels: stringMap(plan.labels) };
    return fromApi(await ctx.client.post<ApiNamespace>("/api/v1/namespaces", body));
  },

  async read(ctx, state) {
    const n = await ctx.client.getOrNull<ApiNamespace>(path(state.name));
    return n && fromApi(n);
  },

  async update(ctx, plan) {
    const body = { ownerTeam: plan.owner_team, description: plan.description ?? "", labels: stringMap(plan.labels) };
    return fromApi(await ctx.client.patch<ApiNamespace>(path(plan.name), body));
  },

  async delete(ctx, state) {
    // 409 while flows or tables remain; they may be being destroyed in parallel.
    await deleteWaitingForDependents(ctx.client, path(state.name), ctx.signal);
  },

  async import(ctx, id) {
    const n = await ctx.client.getOrNull<ApiNamespace>(path(id));
    return n && fromApi(n);
  },

  async modifyPlan(ctx, change) {
    // Flows planned after this one (they reference it) are validated as if it existed.
    if (ctx.configured) plannedObjects(ctx.client).namespace(change.planned.name, change.planned.owner_team);
  },
});

const dataSchema = {
  description: "Reads a Meshplane namespace by name.",
  attributes: {
    name: { type: "string", required: true, description: "Dotted namespace name." },
    owner_team: { type: "string", computed: true, description: "The owning team." },
    description: { type: "string", computed: true, description: "The namespace's description." },
    labels: { type: ["map", "string"], computed: true, description: "The namespace's labels." },
  },
} as const;

export const namespaceDataSource = defineDataSource<typeof dataSchema, MeshplaneClient>({
  typeName: "meshplane_namespace",
  schema: dataSchema,
  async read(ctx, config) {
    return fromApi(await ctx.client.get<ApiNamespace>(path(config.name), { path: ["name"] }));
  },
});
