// meshplane_team: a group of people and service accounts (sales, supply, platform).
// Only the description changes in place; a new name is a new team.
import { defineDataSource, defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { deleteWaitingForDependents, descriptionAttribute, nameRule, seg } from "./common.ts";

interface ApiTeam {
  name: string;
  description: string;
}

const schema = {
  description: "A Meshplane team: owns namespaces and groups service accounts. Managed by the platform team (needs `platform-admin`).",
  attributes: {
    name: { type: "string", required: true, forceNew: true, validate: nameRule("team"), description: "Team name, e.g. `sales`. Changing it replaces the team." },
    description: descriptionAttribute("team"),
  },
} as const;

const fromApi = (t: ApiTeam) => ({ name: t.name, description: t.description });

export const teamResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_team",
  schema,

  async create(ctx, plan) {
    const t = await ctx.client.post<ApiTeam>("/api/v1/teams", { name: plan.name, description: plan.description ?? "" });
    return fromApi(t);
  },

  async read(ctx, state) {
    const t = await ctx.client.getOrNull<ApiTeam>(`/api/v1/teams/${seg(state.name)}`);
    return t && fromApi(t);
  },

  async update(ctx, plan) {
    return fromApi(await ctx.client.patch<ApiTeam>(`/api/v1/teams/${seg(plan.name)}`, { description: plan.description ?? "" }));
  },

  async delete(ctx, state) {
    // 409 while service accounts or namespaces of the team still exist (maybe being destroyed now).
    await deleteWaitingForDependents(ctx.client, `/api/v1/teams/${seg(state.name)}`, ctx.signal);
  },

  async import(ctx, id) {
    const t = await ctx.client.getOrNull<ApiTeam>(`/api/v1/teams/${seg(id)}`);
    return t && fromApi(t);
  },
});

const dataSchema = {
  description: "Reads a Meshplane team by name.",
  attributes: {
    name: { type: "string", required: true, description: "Team name." },
    description: { type: "string", computed: true, description: "The team's description." },
  },
} as const;

export const teamDataSource = defineDataSource<typeof dataSchema, MeshplaneClient>({
  typeName: "meshplane_team",
  schema: dataSchema,
  async read(ctx, config) {
    return fromApi(await ctx.client.get<ApiTeam>(`/api/v1/teams/${seg(config.name)}`, { path: ["name"] }));
  },
});
