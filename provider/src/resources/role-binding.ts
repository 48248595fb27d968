// meshplane_role_binding: a role on a namespace subtree for a team or a service
// account. A binding has no mutable part: any change replaces it. Import by its id.
import { ProviderError } from "../framework/diagnostics.ts";
import { defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { isUnknown } from "../wire/types.ts";
import { nameRule, seg } from "./common.ts";

interface ApiBinding {
  id: string;
  namespace: string | null;
  role: string;
  team: string | null;
  serviceAccount: string | null;
}

const ROLES = ["viewer", "developer", "maintainer", "executor"];

const schema = {
  description: "Grants a role on a namespace (and its subtree) to a team or to a service account. Needs `maintainer` on the namespace. Any change replaces the binding.",
  attributes: {
    namespace: { type: "string", required: true, forceNew: true, validate: nameRule("namespace"), description: "The namespace; the role applies to its whole subtree." },
    role: {
      type: "string",
      required: true,
      forceNew: true,
      validate: (v: unknown) => (ROLES.includes(v as string) ? undefined : `${JSON.stringify(v)} is not a namespace role; expected one of ${ROLES.join(", ")} (platform-admin is global and not managed here).`),
      description: "`viewer` (read), `developer` (read + write flows/tables + run), `maintainer` (developer + grants and bindings), or `executor` (read + run).",
    },
    team: { type: "string", optional: true, forceNew: true, validate: nameRule("team"), description: "The team that gets the role. Exactly one of `team` and `service_account`." },
    service_account: { type: "string", optional: true, forceNew: true, validate: nameRule("serviceAccount"), description: "The service account that gets the role. Exactly one of `team` and `service_account`." },
    id: { type: "string", computed: true, description: "The binding's id, also its import id." },
  },
} as const;

const fromApi = (b: ApiBinding) => ({ namespace: b.namespace ?? "", role: b.role, team: b.team, service_account: b.serviceAccount, id: b.id });
const path = (id: string) => `/api/v1/role-bindings/${seg(id)}`;

export const roleBindingResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_role_binding",
  schema,

  async create(ctx, plan) {
    const body = { namespace: plan.namespace, role: plan.role, ...(plan.team ? { team: plan.team } : { serviceAccount: plan.service_account }) };
    const res = await ctx.client.request<ApiBinding>("POST", "/api/v1/role-bindings", { body });
    // 200 = the same binding already existed: someone else manages it; adopting it
    // would let a destroy here remove access that configuration still wants.
    if (res.status === 200) {
      throw new ProviderError("Role binding already exists", `This binding exists already (id ${res.body.id}). Import it instead: terraform import <address> ${res.body.id}`);
    }
    return fromApi(res.body);
  },

  async read(ctx, state) {
    const b = await ctx.client.getOrNull<ApiBinding>(path(state.id!));
    return b && fromApi(b);
  },

  async update(_ctx, plan, prior) {
    return { ...plan, id: prior.id }; // every input is forceNew: only a no-op reaches here
  },

  async delete(ctx, state) {
    await ctx.client.delete(path(state.id!));
  },

  async import(ctx, id) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ProviderError("Invalid import id", `A role binding is imported by its id (a UUID, see GET /api/v1/role-bindings); got ${JSON.stringify(id)}.`);
    const b = await ctx.client.getOrNull<ApiBinding>(path(id));
    return b && fromApi(b);
  },

  validateConfig(config, diagnostics) {
    const { team, service_account: sa } = config;
    if (isUnknown(team) || isUnknown(sa)) return;
    if ((team === null) === (sa === null)) diagnostics.error("Exactly one of team and service_account", "A role binding is for a team or for a service account: set exactly one of them.", [team === null ? "team" : "service_account"]);
  },
});
