// meshplane_policy: a platform policy (SPEC §12), a CEL rule every flow or table contract
// of a namespace subtree must satisfy. Everything but the name changes in place (PUT is
// idempotent, keyed by name); an expression that does not compile is refused by the API
// with its line and column, shown on `expression`. Id: the name.
import { defineResource } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { nameRule, seg } from "./common.ts";

interface ApiPolicy {
  name: string;
  namespace: string;
  appliesTo: "flow" | "table";
  expression: string;
  severity: "error" | "warning";
  message: string;
  revision: number;
}

const oneOf = (values: readonly string[]) => (v: unknown) => (values.includes(v as string) ? undefined : `${JSON.stringify(v)} must be one of ${values.map((x) => `"${x}"`).join(", ")}.`);

const schema = {
  description:
    "A Meshplane platform policy: a CEL expression over `object` (the parsed flow YAML, or the table contract) and `namespaceObject` (`{name, ownerTeam}`) that every flow or table of a namespace subtree must satisfy. `error` policies refuse the PUT (and fail `terraform plan` of the flow or table); `warning` policies are reported only. Needs `platform-admin`.",
  attributes: {
    name: {
      type: "string",
      required: true,
      forceNew: true,
      validate: (v: unknown) => (/^[a-z][a-z0-9_-]{0,62}$/.test(v as string) ? undefined : `${JSON.stringify(v)} must be 1-63 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'.`),
      description: "The policy's name, e.g. `flows-have-an-owner`. Changing it replaces the policy.",
    },
    namespace: { type: "string", required: true, validate: nameRule("namespace"), description: "The policy governs this namespace and its subtree (`retail` covers `retail.sales`)." },
    applies_to: { type: "string", required: true, validate: oneOf(["flow", "table"]), description: "`flow` or `table`: what `object` is." },
    expression: { type: "string", required: true, description: "The CEL expression; true = the object complies. E.g. `has(object.labels) && has(object.labels.owner)`." },
    severity: { type: "string", required: true, validate: oneOf(["error", "warning"]), description: "`error` refuses the object; `warning` reports it." },
    message: { type: "string", required: true, description: "What the author of a failing object reads: say what to change." },
    revision: { type: "number", computed: true, changesOnUpdate: true, description: "The policy's revision, bumped by each change." },
  },
} as const;

const fromApi = (p: ApiPolicy) => ({ name: p.name, namespace: p.namespace, applies_to: p.appliesTo, expression: p.expression, severity: p.severity, message: p.message, revision: p.revision });

type Plan = { name: string; namespace: string; applies_to: string; expression: string; severity: string; message: string };
const put = (client: MeshplaneClient, plan: Plan) =>
  client.put<ApiPolicy>(
    `/api/v1/policies/${seg(plan.name)}`,
    { namespace: plan.namespace, appliesTo: plan.applies_to, expression: plan.expression, severity: plan.severity, message: plan.message },
    { path: ["expression"] },
  );

export const policyResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_policy",
  schema,

  async create(ctx, plan) {
    return fromApi(await put(ctx.client, plan as Plan));
  },

  async read(ctx, state) {
    const p = await ctx.client.getOrNull<ApiPolicy>(`/api/v1/policies/${seg(state.name)}`);
    return p && fromApi(p);
  },

  async update(ctx, plan) {
    return fromApi(await put(ctx.client, plan as Plan));
  },

  async delete(ctx, state) {
    await ctx.client.delete(`/api/v1/policies/${seg(state.name)}`);
  },

  async import(ctx, id) {
    const p = await ctx.client.getOrNull<ApiPolicy>(`/api/v1/policies/${seg(id)}`);
    return p && fromApi(p);
  },
});
