// meshplane_flow: a flow `(namespace, id)` and its YAML. The source is compared by
// meaning (flow-yaml.ts). During plan the API validates the flow as PUT would
// (POST /flows/validate), so a missing cross-team grant fails `terraform plan` in
// the pull request; warnings (an upstream flow not registered yet) stay warnings.
// Namespaces, grants and flows that this same plan creates first count as existing
// (planned.ts).
import { Diagnostics, ProviderError } from "../framework/diagnostics.ts";
import { defineDataSource, defineResource, type ResourceContext } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { ApiError } from "../meshplane/problem.ts";
import { isUnknown } from "../wire/types.ts";
import { alreadyExists, deleteWaitingForDependents, nameRule, seg, splitImportId } from "./common.ts";
import { flowReads } from "./flow-reads.ts";
import { parseFlowYaml, topLevelScalar, yamlEqual } from "./flow-yaml.ts";
import { plannedObjects } from "./planned.ts";

interface ApiFlow {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  description: string;
  labels: Record<string, string>;
  disabled: boolean;
  deleted?: true;
}
interface FlowProblem {
  kind: string;
  message: string;
  pointer?: string;
  line?: number;
  column?: number;
  severity: "error" | "warning";
}

const schema = {
  description: "A Meshplane flow: a declarative pipeline written in YAML, `(namespace, flow_id)`. Every change of the source makes a new revision. `terraform plan` validates the flow with the API (syntax, schema, permissions, cross-team grants, references, cycles). Needs `developer` on the namespace.",
  attributes: {
    namespace: { type: "string", required: true, forceNew: true, validate: nameRule("namespace"), description: "The flow's namespace; must equal `namespace` in the YAML. Changing it replaces the flow." },
    flow_id: { type: "string", required: true, forceNew: true, validate: nameRule("flowId"), description: "The flow's id; must equal `id` in the YAML. Changing it replaces the flow." },
    source: {
      type: "string",
      required: true,
      equal: yamlEqual,
      description: "The flow YAML (e.g. `file(\"flows/daily_orders.yaml\")`). Compared by meaning: formatting and comments alone are no change.",
    },
    revision: { type: "number", computed: true, changesOnUpdate: true, description: "The flow's revision, incremented by every change of the source." },
  },
} as const;

const flowPath = (ns: string, id: string) => `/api/v1/flows/${seg(ns)}/${seg(id)}`;

export const flowResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_flow",
  schema,

  async create(ctx, plan) {
    // If-None-Match: *: a flow made outside this configuration is never adopted silently.
    const f = await putFlow(ctx, plan.namespace, plan.flow_id, plan.source, { "if-none-match": "*" });
    return { namespace: f.namespace, flow_id: f.id, source: plan.source, revision: f.revision };
  },

  async read(ctx, state) {
    const f = await flowReads<ApiFlow>(ctx.client).read(state.namespace, state.flow_id, () => ctx.client.getOrNull<ApiFlow>(flowPath(state.namespace, state.flow_id)));
    if (!f || f.deleted) return null;
    // The stored source replaces ours only when it means something else (drift).
    return { namespace: f.namespace, flow_id: f.id, source: f.source, revision: f.revision };
  },

  async update(ctx, plan, prior) {
    // If-Match: a change made outside Terraform since the refresh is a conflict, not overwritten blindly.
    const f = await putFlow(ctx, plan.namespace, plan.flow_id, plan.source, prior.revision === null ? {} : { "if-match": String(prior.revision) });
    return { ...plan, revision: f.revision };
  },

  async delete(ctx, state) {
    // 409 while other flows trigger on or call this one; in a destroy they usually go first.
    flowReads(ctx.client).wrote(state.namespace, state.flow_id);
    await deleteWaitingForDependents(ctx.client, flowPath(state.namespace, state.flow_id), ctx.signal);
  },

  async import(ctx, id) {
    const [ns, flowId] = splitImportId(id, "<namespace>/<flow id>", "retail.sales/daily_orders");
    const f = await ctx.client.getOrNull<ApiFlow>(flowPath(ns, flowId));
    return f && !f.deleted ? { namespace: f.namespace, flow_id: f.id, source: f.source, revision: f.revision } : null;
  },

  async modifyPlan(ctx, change) {
    const { source } = change.config;
    if (!ctx.configured) return; // checked again by the PUT at apply
    const planned = plannedObjects(ctx.client);
    planned.flow(change.planned.namespace, change.planned.flow_id);
    if (isUnknown(source) || source === null) return; // checked again by the PUT at apply
    if (change.prior && change.prior.source === change.planned.source) return; // the source does not change
    // What this plan creates before this flow counts as existing (planned.ts); without
    // any, the YAML goes alone, as to an API that predates `planned`.
    const relevant = planned.forSource(source, { namespace: String(change.planned.namespace), id: String(change.planned.flow_id) });
    ctx.log.debug("validating a flow at plan time", { namespace: String(change.planned.namespace), flow_id: String(change.planned.flow_id), planned: relevant ?? {} });
    const report = await ctx.client.request<{ valid: boolean; problems: FlowProblem[] }>("POST", "/api/v1/flows/validate", {
      ...(relevant ? { body: { source, planned: relevant } } : { rawBody: { contentType: "application/x-yaml", text: source } }),
      path: ["source"],
    });
    for (const p of report.body.problems) addProblem(ctx.diagnostics, p);
  },

  validateConfig(config, diagnostics) {
    const { source, namespace, flow_id: flowId } = config;
    if (isUnknown(source) || source === null) return;
    // Only id and namespace are checked offline, from the top-level lines when the YAML
    // has them in block style (parsing every flow of a large configuration on every
    // command costs more than the check is worth); syntax and schema problems come
    // from the API during plan, with line and column.
    let doc: Record<string, unknown> = { id: topLevelScalar(source, "id"), namespace: topLevelScalar(source, "namespace") };
    if (doc.id === undefined || doc.namespace === undefined) {
      try {
        doc = (parseFlowYaml(source) ?? {}) as Record<string, unknown>;
      } catch (e) {
        diagnostics.error("Invalid flow YAML", (e as Error).message, ["source"]);
        return;
      }
    }
    if (!isUnknown(namespace) && doc.namespace != null && String(doc.namespace) !== namespace) {
      diagnostics.error("Namespace mismatch", `The YAML says namespace: ${String(doc.namespace)} but the resource's namespace is ${namespace}; they must be equal.`, ["source"]);
    }
    if (!isUnknown(flowId) && doc.id != null && String(doc.id) !== flowId) {
      diagnostics.error("Flow id mismatch", `The YAML says id: ${String(doc.id)} but the resource's flow_id is ${flowId}; they must be equal.`, ["source"]);
    }
  },
});

async function putFlow(
  ctx: ResourceContext<MeshplaneClient>,
  ns: string,
  id: string,
  source: string,
  precondition: { "if-match"?: string; "if-none-match"?: "*" },
): Promise<ApiFlow> {
  flowReads(ctx.client).wrote(ns, id);
  try {
    return await ctx.client.put<ApiFlow>(flowPath(ns, id), undefined, {
      rawBody: { contentType: "application/x-yaml", text: source },
      headers: precondition,
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && precondition["if-none-match"] && /already exists/.test(e.problem.detail ?? "")) throw alreadyExists("flow", `${ns}/${id}`, e);
    if (e instanceof ApiError) throw flowApiError(e);
    throw e;
  }
}

/** An API refusal of the YAML: each field problem (pointer into the YAML) on `source`. */
function flowApiError(e: ApiError): ProviderError {
  const d = new Diagnostics();
  const problems = e.problem.errors ?? [];
  const title = e.problem.title ?? `HTTP ${e.status}`;
  if (problems.length === 0) d.error(title, [e.problem.detail, e.status === 409 ? "The flow changed outside Terraform; run terraform plan again." : ""].filter(Boolean).join("\n\n"), ["source"]);
  for (const p of problems) d.error(title, `${p.message}${p.pointer ? ` (at ${p.pointer} in the YAML)` : ""}`, ["source"]);
  const err = new ProviderError(title);
  err.diagnostics.splice(0, err.diagnostics.length, ...d.items);
  return err;
}

function addProblem(diagnostics: Diagnostics, p: FlowProblem): void {
  const where = [p.pointer ? `at ${p.pointer}` : "", p.line ? `line ${p.line}${p.column ? `, column ${p.column}` : ""} of the YAML` : ""].filter(Boolean).join(", ");
  const summary =
    p.kind === "permission" ? "Flow not allowed" : p.kind === "reference" ? "Flow reference problem" : p.kind === "policy" ? (p.severity === "warning" ? "Platform policy warning" : "Flow refused by a platform policy") : `Invalid flow (${p.kind})`;
  const detail = where ? `${p.message} (${where})` : p.message;
  if (p.severity === "warning") diagnostics.warning(summary, detail, ["source"]);
  else diagnostics.error(summary, detail, ["source"]);
}

const dataSchema = {
  description: "Reads a Meshplane flow (its current revision).",
  attributes: {
    namespace: { type: "string", required: true, description: "The flow's namespace." },
    flow_id: { type: "string", required: true, description: "The flow's id." },
    source: { type: "string", computed: true, description: "The flow YAML as registered." },
    revision: { type: "number", computed: true, description: "The current revision." },
    description: { type: "string", computed: true, description: "The flow's description (from the YAML)." },
    labels: { type: ["map", "string"], computed: true, description: "The flow's labels (from the YAML)." },
    disabled: { type: "bool", computed: true, description: "Whether the flow is disabled." },
  },
} as const;

export const flowDataSource = defineDataSource<typeof dataSchema, MeshplaneClient>({
  typeName: "meshplane_flow",
  schema: dataSchema,
  async read(ctx, config) {
    const f = await ctx.client.get<ApiFlow>(flowPath(config.namespace, config.flow_id), { path: ["flow_id"] });
    return { namespace: f.namespace, flow_id: f.id, source: f.source, revision: f.revision, description: f.description, labels: { ...f.labels }, disabled: f.disabled };
  },
});

