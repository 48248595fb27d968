// meshplane_service_account: a non-human identity (one per CI pipeline), member of
// one team. The API cannot move an account between teams or rename it: both replace.
import { defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { descriptionAttribute, nameRule, seg } from "./common.ts";

interface ApiServiceAccount {
  name: string;
  team: string;
  description: string;
}

const schema = {
  description: "A Meshplane service account: the identity a CI pipeline uses, member of one team. Its API keys are `meshplane_api_key` resources. Needs `platform-admin`.",
  attributes: {
    name: { type: "string", required: true, forceNew: true, validate: nameRule("serviceAccount"), description: "Service account name, e.g. `sales-ci`. Changing it replaces the account (and revokes its keys)." },
    team: { type: "string", required: true, forceNew: true, validate: nameRule("team"), description: "The team the account belongs to. Changing it replaces the account." },
    description: descriptionAttribute("service account"),
  },
} as const;

const fromApi = (a: ApiServiceAccount) => ({ name: a.name, team: a.team, description: a.description });
const path = (name: string) => `/api/v1/service-accounts/${seg(name)}`;

export const serviceAccountResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_service_account",
  schema,

  async create(ctx, plan) {
    return fromApi(await ctx.client.post<ApiServiceAccount>("/api/v1/service-accounts", { name: plan.name, team: plan.team, description: plan.description ?? "" }));
  },

  async read(ctx, state) {
    const a = await ctx.client.getOrNull<ApiServiceAccount>(path(state.name));
    return a && fromApi(a);
  },

  async update(ctx, plan) {
    return fromApi(await ctx.client.patch<ApiServiceAccount>(path(plan.name), { description: plan.description ?? "" }));
  },

  async delete(ctx, state) {
    await ctx.client.delete(path(state.name));
  },

  async import(ctx, id) {
    const a = await ctx.client.getOrNull<ApiServiceAccount>(path(id));
    return a && fromApi(a);
  },
});
