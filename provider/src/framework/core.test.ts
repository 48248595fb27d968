// The protocol core without terraform: planning decisions, apply shaping, reads.
import { describe, expect, it } from "vitest";
import { Diagnostics, ProviderError } from "./diagnostics.ts";
import { applyChange, readState, upgradeState } from "./lifecycle.ts";
import { planChange } from "./plan.ts";
import { defineResource, type ResourceContext } from "./resource.ts";
import { isUnknown, UNKNOWN } from "../wire/types.ts";

const yamlish = (a: unknown, b: unknown) => String(a).replace(/\s+/g, " ").trim() === String(b).replace(/\s+/g, " ").trim();

const calls: string[] = [];
const thing = defineResource({
  typeName: "meshplane_thing",
  schema: {
    description: "A thing.",
    attributes: {
      id: { type: "string", computed: true, description: "id" },
      name: { type: "string", required: true, forceNew: true, description: "name" },
      source: { type: "string", optional: true, equal: yamlish, description: "source" },
      mode: { type: "string", optional: true, computed: true, default: "auto", description: "mode" },
      revision: { type: "number", computed: true, changesOnUpdate: true, description: "revision" },
      created_at: { type: "string", computed: true, description: "kept across updates" },
    },
  },
  async create(ctx, plan) {
    calls.push("create");
    if (plan.name === "half") {
      ctx.created({ ...plan, id: "h1", revision: 1, created_at: "t0" });
      throw new Error("boom after create");
    }
    return { ...plan, id: "x1", revision: 1, created_at: "t0", source: plan.source === null ? null : `${plan.source}\n` };
  },
  async read(_ctx, state) {
    return state.id === "gone" ? null : { ...state, source: `  ${state.source}  ` };
  },
  async update(_ctx, plan, prior) {
    calls.push("update");
    return { ...plan, revision: Number(prior.revision) + 1 };
  },
  async delete() {
    calls.push("delete");
    throw new ProviderError("Cannot delete", "dependents exist", ["name"]);
  },
  async import(_ctx, id) {
    return { id };
  },
  async modifyPlan(ctx, change) {
    if (change.config.source === "bad") ctx.diagnostics.error("Invalid flow", "missing grant", ["source"]);
  },
});

function ctx(): ResourceContext<unknown> {
  return { client: undefined, configured: false, diagnostics: new Diagnostics(), signal: new AbortController().signal, log: { trace() {}, debug() {}, info() {}, warn() {}, error() {} } };
}
const prior = { id: "x1", name: "a", source: "a: 1", mode: "auto", revision: 3, created_at: "t0" };
const config = (over: Record<string, unknown> = {}) => ({ id: null, name: "a", source: "a: 1", mode: null, revision: null, created_at: null, ...over });

describe("plan", () => {
  it("create: computed attributes unknown, defaults applied", async () => {
    const c = config();
    const { planned, requiresReplace } = await planChange(thing, { prior: null, proposed: c, config: c }, ctx());
    expect(isUnknown(planned!.id)).toBe(true);
    expect(isUnknown(planned!.revision)).toBe(true);
    expect(planned!.mode).toBe("auto");
    expect(requiresReplace).toEqual([]);
  });

  it("no change: the prior state is planned as is", async () => {
    const proposed = { ...config(), id: "x1", mode: "auto", revision: 3, created_at: "t0" };
    const { planned, requiresReplace } = await planChange(thing, { prior, proposed, config: config() }, ctx());
    expect(planned).toEqual(prior);
    expect(requiresReplace).toEqual([]);
  });

  it("semantically equal source: keeps the stored value, no update", async () => {
    const c = config({ source: "a:    1\n" });
    const proposed = { ...prior, source: "a:    1\n" };
    const { planned } = await planChange(thing, { prior, proposed, config: c }, ctx());
    expect(planned).toEqual(prior);
  });

  it("update: keeps computed values, marks changesOnUpdate unknown, no replacement", async () => {
    const c = config({ source: "a: 2" });
    const { planned, requiresReplace } = await planChange(thing, { prior, proposed: { ...prior, source: "a: 2" }, config: c }, ctx());
    expect(planned).toMatchObject({ id: "x1", created_at: "t0", source: "a: 2", mode: "auto" });
    expect(planned!.revision).toBe(UNKNOWN);
    expect(requiresReplace).toEqual([]);
  });

  it("forceNew change: requires replacement at that attribute", async () => {
    const c = config({ name: "b" });
    const { requiresReplace } = await planChange(thing, { prior, proposed: { ...prior, name: "b" }, config: c }, ctx());
    expect(requiresReplace).toEqual([["name"]]);
  });

  it("unknown forceNew value: replacement (it may change)", async () => {
    const c = config({ name: UNKNOWN });
    const { requiresReplace } = await planChange(thing, { prior, proposed: { ...prior, name: UNKNOWN }, config: c }, ctx());
    expect(requiresReplace).toEqual([["name"]]);
  });

  it("modifyPlan diagnostics carry their attribute path", async () => {
    const c = ctx();
    await planChange(thing, { prior: null, proposed: config({ source: "bad" }), config: config({ source: "bad" }) }, c);
    expect(c.diagnostics.items).toEqual([{ severity: "error", summary: "Invalid flow", detail: "missing grant", path: ["source"] }]);
  });

  it("destroy plans null", async () => {
    expect((await planChange(thing, { prior, proposed: null, config: null }, ctx())).planned).toBeNull();
  });
});

describe("apply", () => {
  it("create: fills unknowns from the result, keeps planned known values", async () => {
    const planned = { id: UNKNOWN, name: "a", source: "a: 1", mode: "auto", revision: UNKNOWN, created_at: UNKNOWN };
    const state = await applyChange(thing, null, planned, ctx());
    // source came back with a trailing newline; the planned value wins.
    expect(state).toEqual({ id: "x1", name: "a", source: "a: 1", mode: "auto", revision: 1, created_at: "t0" });
  });

  it("a failure after creation returns the created object with the error (tainted, not leaked)", async () => {
    const c = ctx();
    const planned = { id: UNKNOWN, name: "half", source: null, mode: "auto", revision: UNKNOWN, created_at: UNKNOWN };
    const state = await applyChange(thing, null, planned, c);
    expect(state).toMatchObject({ id: "h1", name: "half" });
    expect(c.diagnostics.items[0]).toMatchObject({ severity: "error", summary: "Unexpected error in create meshplane_thing" });
  });

  it("update: the result's revision replaces the unknown", async () => {
    const state = await applyChange(thing, prior, { ...prior, source: "a: 2", revision: UNKNOWN }, ctx());
    expect(state).toMatchObject({ source: "a: 2", revision: 4 });
  });

  it("failed delete keeps the prior state and reports the API's words on the attribute", async () => {
    const c = ctx();
    expect(await applyChange(thing, prior, null, c)).toEqual(prior);
    expect(c.diagnostics.items).toEqual([{ severity: "error", summary: "Cannot delete", detail: "dependents exist", path: ["name"] }]);
  });

  it("a value left unknown by the resource becomes null with an error", async () => {
    const broken = { ...thing, create: async () => ({ name: "a", id: UNKNOWN }) } as unknown as typeof thing;
    const c = ctx();
    const state = await applyChange(broken, null, { id: UNKNOWN, name: "a", source: null, mode: "auto", revision: UNKNOWN, created_at: UNKNOWN }, c);
    expect(state!.id).toBeNull();
    expect(c.diagnostics.items).toMatchObject([{ severity: "error", summary: "Provider left id unknown", path: ["id"] }]);
  });
});

describe("read and upgrade", () => {
  it("returns null when the object is gone (drift)", async () => {
    expect(await readState(thing, { ...prior, id: "gone" }, ctx())).toBeNull();
  });

  it("keeps the stored form of semantically equal values", async () => {
    expect(await readState(thing, prior, ctx())).toEqual(prior);
  });

  it("upgrade reshapes stored JSON to the current schema and refuses newer versions", () => {
    const state = upgradeState(thing.schema, 0, '{"id":"x1","name":"a","removed_attr":1,"revision":9007199254740993}');
    expect(state).toEqual({ id: "x1", name: "a", source: null, mode: null, revision: 9007199254740993n, created_at: null });
    expect(() => upgradeState(thing.schema, 5, "{}")).toThrow(ProviderError);
  });
});
