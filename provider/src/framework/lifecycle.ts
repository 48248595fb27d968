// Apply, read, import, upgrade and data-source reads: calling the resource and
// shaping what it returns into a state Terraform accepts (every attribute present,
// nothing unknown after apply, semantically equal values kept as they were).
import { decodeJson } from "../wire/json.ts";
import { isUnknown, UNKNOWN } from "../wire/types.ts";
import { diagnosticsFromError, ProviderError } from "./diagnostics.ts";
import type { CreateContext, DataSource, Resource, ResourceContext } from "./resource.ts";
import { typeOf, type AttributeSchema, type Schema } from "./schema.ts";
import { completeObject, isWhollyKnown, unknownsToNull } from "./values.ts";

type Obj = Record<string, unknown>;

export async function applyChange(resource: Resource<any, any>, prior: Obj | null, planned: Obj | null, ctx: ResourceContext<unknown>): Promise<Obj | null> {
  const what = (verb: string) => `${verb} ${resource.typeName}`;
  if (planned === null) {
    if (prior === null) return null;
    try {
      await resource.delete(ctx, prior);
      return null;
    } catch (e) {
      ctx.diagnostics.add(...diagnosticsFromError(e, what("delete")));
      return prior; // still exists: keep it in state
    }
  }
  if (prior === null) {
    let createdState: Obj | null = null;
    const createCtx: CreateContext<unknown, Obj> = Object.assign(Object.create(ctx) as ResourceContext<unknown>, {
      created: (state: Obj) => void (createdState = state),
    });
    try {
      const result = await resource.create(createCtx, unknownsToNull(planned));
      return finishState(resource, result, planned, ctx, what("create"));
    } catch (e) {
      ctx.diagnostics.add(...diagnosticsFromError(e, what("create")));
      // The object exists remotely: hand it to Terraform (tainted) rather than leak it.
      return createdState ? finishState(resource, createdState, planned, ctx, what("create")) : null;
    }
  }
  try {
    const result = await resource.update(ctx, unknownsToNull(planned), prior);
    return finishState(resource, result, planned, ctx, what("update"));
  } catch (e) {
    ctx.diagnostics.add(...diagnosticsFromError(e, what("update")));
    return prior;
  }
}

/** ReadResource: null = the object is gone, and Terraform will plan to create it again. */
export async function readState(resource: Resource<any, any>, state: Obj, ctx: ResourceContext<unknown>): Promise<Obj | null> {
  try {
    const result = await resource.read(ctx, state);
    if (result === null) return null;
    const out = completeObject(result, resource.schema);
    keepEqualValues(resource.schema, state, out);
    return out;
  } catch (e) {
    ctx.diagnostics.add(...diagnosticsFromError(e, `reading ${resource.typeName}`));
    return state;
  }
}

export async function importState(resource: Resource<any, any>, id: string, ctx: ResourceContext<unknown>): Promise<Obj | null> {
  try {
    const result = await resource.import(ctx, id);
    if (result === null) throw new ProviderError(`Cannot import ${resource.typeName}`, `No object with the id ${JSON.stringify(id)} exists.`);
    return completeObject(result, resource.schema);
  } catch (e) {
    ctx.diagnostics.add(...diagnosticsFromError(e, `importing ${resource.typeName}`));
    return null;
  }
}

/**
 * UpgradeResourceState runs for every instance on every plan, so it only reshapes:
 * the stored JSON read with today's schema (removed attributes dropped, new ones null).
 */
export function upgradeState(schema: Schema, version: number, rawJson: Uint8Array | string): Obj | null {
  const current = schema.version ?? 0;
  if (version > current) {
    throw new ProviderError("State written by a newer provider", `The state has schema version ${version}; this provider knows up to ${current}. Upgrade the Meshplane provider.`);
  }
  const decoded = decodeJson(rawJson, typeOf(schema));
  return decoded === null ? null : completeObject(decoded, schema);
}

export async function readDataSource(ds: DataSource<any, any>, config: Obj, ctx: ResourceContext<unknown>): Promise<Obj | null> {
  try {
    const result = await ds.read(ctx, config);
    // What the configuration sets must come back as set; computed values are the source's to fill.
    const expected: Obj = { ...config };
    for (const [name, attr] of Object.entries((ds.schema as Schema).attributes)) {
      if (attr.computed && (config[name] === null || config[name] === undefined)) expected[name] = UNKNOWN;
    }
    return finishState(ds, result, expected, ctx, `reading data source ${ds.typeName}`);
  } catch (e) {
    ctx.diagnostics.add(...diagnosticsFromError(e, `reading data source ${ds.typeName}`));
    return null;
  }
}

/** Shapes a resource's result into a state consistent with the plan. */
function finishState(r: { schema: Schema; typeName: string }, result: Obj, planned: Obj, ctx: ResourceContext<unknown>, what: string): Obj {
  const out = completeObject(result, r.schema);
  // Terraform requires every value known in the plan to come back unchanged, so
  // the API only fills in what was unknown (a normalised echo of an input is not
  // a change; a real difference shows up at the next refresh).
  for (const name of Object.keys(out)) {
    const p = planned[name];
    if (p !== undefined && isWhollyKnown(p)) out[name] = p;
  }
  for (const [name, v] of Object.entries(out)) {
    if (isWhollyKnown(v)) continue;
    ctx.diagnostics.error(`Provider left ${name} unknown`, `After ${what}, ${name} was still unknown; it was set to null. This is a bug in the Meshplane provider.`, [name]);
    out[name] = unknownsToNull(v);
  }
  return out;
}

/** After a read, values semantically equal to the stored ones keep the stored form (no perpetual diff). */
function keepEqualValues(schema: Schema, before: Obj, after: Obj): void {
  for (const [name, attr] of Object.entries(schema.attributes)) {
    if (attr.equal && before[name] !== null && after[name] !== null && sameValue(attr, before[name], after[name])) after[name] = before[name];
  }
}

function sameValue(attr: AttributeSchema, a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b) || a === null || b === null) return a === b;
  if (!attr.equal) return false;
  try {
    return attr.equal(a, b);
  } catch {
    return false;
  }
}
