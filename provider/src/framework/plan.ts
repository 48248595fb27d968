// Deciding what a change means: create, update in place, or replace; which
// computed values stay, which become "known after apply"; and giving the resource
// a chance to check the change against the API before anything is applied.
import { isUnknown, UNKNOWN, type TfType } from "../wire/types.ts";
import { diagnosticsFromError, type AttributePath } from "./diagnostics.ts";
import { typeOf, type Schema } from "./schema.ts";
import type { PlanChange, Resource, ResourceContext } from "./resource.ts";
import { completeObject, valuesEqual } from "./values.ts";

type Obj = Record<string, unknown>;

export interface PlanInput {
  prior: Obj | null;
  /** Terraform's proposal: the config, with prior values for computed attributes the config leaves null. */
  proposed: Obj | null;
  config: Obj | null;
}

export interface PlanResult {
  planned: Obj | null;
  requiresReplace: AttributePath[];
}

export async function planChange(resource: Resource<any, any>, input: PlanInput, ctx: ResourceContext<unknown>): Promise<PlanResult> {
  const { prior, proposed, config } = input;
  // Destroy: nothing to plan (we do not advertise plan_destroy, so this is rare).
  if (proposed === null || config === null) return { planned: null, requiresReplace: [] };

  const schema: Schema = resource.schema;
  const planned = completeObject(proposed, schema);
  const action = prior === null ? "create" : "update";
  const replace = new Set<string>();

  for (const [name, attr] of Object.entries(schema.attributes)) {
    const configured = config[name];
    if (action === "create") {
      // Computed values the configuration does not set are only known after apply.
      if (attr.computed && (configured === null || configured === undefined)) planned[name] = attr.default ?? UNKNOWN;
      continue;
    }
    if (attr.computed && attr.default !== undefined && configured === null) planned[name] = attr.default;
    // Semantically equal to what is stored: keep the stored value, so no diff.
    // (Terraform accepts a planned value equal to the prior one in place of the config's.)
    const before = prior![name];
    if (attr.equal && before !== null && configured !== null && configured !== undefined && !isUnknown(configured) && !isUnknown(before)) {
      if (sameOrEqual(attr.equal, before, configured)) planned[name] = before;
    }
  }

  if (action === "update") {
    const changed = changedAttributes(resource, prior!, planned);
    if (changed.length === 0) return { planned, requiresReplace: [] };
    for (const [name, attr] of Object.entries(schema.attributes)) {
      if (attr.changesOnUpdate) planned[name] = UNKNOWN;
    }
    for (const name of changed) {
      const forceNew = schema.attributes[name]?.forceNew ?? schema.blocks?.[name]?.forceNew;
      if (forceNew) replace.add(name);
    }
  }

  if (resource.modifyPlan) {
    const change: PlanChange<Obj> = {
      action,
      config: completeObject(config, schema),
      prior,
      planned,
      setUnknown: (a) => void (planned[a] = UNKNOWN),
      requireReplace: (a) => void replace.add(a),
    };
    try {
      await resource.modifyPlan(ctx, change);
    } catch (e) {
      ctx.diagnostics.add(...diagnosticsFromError(e, `planning ${resource.typeName}`));
    }
  }
  return { planned, requiresReplace: [...replace].map((name) => [name]) };
}

/** Names of the attributes and blocks whose planned value differs from the prior state. */
function changedAttributes(resource: Resource<any, any>, prior: Obj, planned: Obj): string[] {
  const out: string[] = [];
  const types = (typeOf(resource.schema) as readonly ["object", Record<string, TfType>])[1];
  for (const name of Object.keys(types)) {
    const attr = (resource.schema as Schema).attributes[name];
    if (attr?.computed && !attr.optional && !attr.required) continue; // only the API sets these
    if (!valuesEqual(prior[name], planned[name], types[name]!)) out.push(name);
  }
  return out;
}

function sameOrEqual(equal: (a: unknown, b: unknown) => boolean, a: unknown, b: unknown): boolean {
  try {
    return equal(a, b);
  } catch {
    return false; // a value the comparison cannot read is simply "different"
  }
}
