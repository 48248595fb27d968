// meshplane_test_echo: a resource that needs no API, stored in a JSON file, so the
// tests can drive every path of the protocol core with the real terraform binary
// (create, empty plan, in-place update, replacement, import, drift, sensitive
// values, plan-time diagnostics, a failure after creation). Registered only when
// MESHPLANE_PROVIDER_TEST_RESOURCES=1; the file is MESHPLANE_TEST_ECHO_STORE.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProviderError } from "../framework/diagnostics.ts";
import { defineDataSource, defineResource } from "../framework/resource.ts";
import type { StateOf } from "../framework/schema.ts";
import { isUnknown, numberFromText, numberText, type TfNumber } from "../wire/types.ts";

/** Waits like a slow API call would; rejects with an AbortError when Terraform stops the provider. */
function sleepUnlessStopped(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(Object.assign(new Error("stopped"), { name: "AbortError" }));
    }, { once: true });
  });
}

/** JSON documents compare by content: key order and whitespace are no change. */
function jsonEqual(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(canon(JSON.parse(a as string))) === JSON.stringify(canon(JSON.parse(b as string)));
}

const schema = {
  description: "Test-only: echoes its configuration into a local JSON file.",
  attributes: {
    id: { type: "string", computed: true, description: "Identifier assigned at creation." },
    name: { type: "string", required: true, forceNew: true, description: "Name; changing it replaces the object." },
    value: {
      type: "string",
      optional: true,
      description: "Updated in place. `invalid` fails validation, `forbidden` fails the plan, `fail-after-create` fails after creating, `slow` takes 20 s to create (or until Terraform stops the provider).",
      validate: (v: unknown) => (v === "invalid" ? "The value \"invalid\" is rejected by offline validation." : undefined),
    },
    secret: { type: "string", optional: true, sensitive: true, description: "A sensitive input." },
    document: { type: "string", optional: true, description: "A JSON document compared semantically.", equal: jsonEqual },
    big: { type: "number", optional: true, description: "A number that may exceed 2^53." },
    labels: { type: ["map", "string"], optional: true, description: "Labels." },
    tags: { type: ["set", "string"], optional: true, description: "Tags." },
    mode: { type: "string", optional: true, computed: true, default: "standard", description: "Defaults to `standard`." },
    revision: { type: "number", computed: true, changesOnUpdate: true, description: "Incremented on every update." },
    token: { type: "string", computed: true, sensitive: true, description: "A secret made at creation, like an API key." },
  },
  blocks: {
    rule: {
      nesting: "list",
      description: "Nested rules.",
      attributes: {
        name: { type: "string", required: true, description: "Rule name." },
        weight: { type: "number", optional: true, description: "Rule weight." },
      },
    },
  },
} as const;

type EchoState = StateOf<typeof schema>;
type Stored = Omit<EchoState, "big" | "revision"> & { big: string | null; revision: number };

function storePath(): string {
  return process.env.MESHPLANE_TEST_ECHO_STORE || join(tmpdir(), "meshplane-test-echo.json");
}
function load(): Record<string, Stored> {
  try {
    return JSON.parse(readFileSync(storePath(), "utf8")) as Record<string, Stored>;
  } catch {
    return {};
  }
}
function save(all: Record<string, Stored>): void {
  const tmp = `${storePath()}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(all, null, 2));
  renameSync(tmp, storePath());
}
const toStored = (s: EchoState): Stored => ({ ...s, big: s.big === null ? null : numberText(s.big as TfNumber), revision: Number(s.revision ?? 1) });
const fromStored = (s: Stored): EchoState => ({ ...s, big: s.big === null ? null : numberFromText(s.big) });

export const testEchoResource = defineResource({
  typeName: "meshplane_test_echo",
  schema,

  async create(ctx, plan) {
    if (plan.value === "slow") await sleepUnlessStopped(20_000, ctx.signal);
    const all = load();
    const id = `echo-${plan.name}`;
    if (all[id]) throw new ProviderError("Already exists", `An echo named ${plan.name} already exists; import it instead.`, ["name"]);
    const state: EchoState = { ...plan, id, revision: 1, token: `tok-${id}-${process.pid}` };
    all[id] = toStored(state);
    save(all);
    ctx.created(state);
    if (plan.value === "fail-after-create") throw new ProviderError("Failed after creating", "The object exists; Terraform keeps it as tainted.", ["value"]);
    return state;
  },

  async read(_ctx, state) {
    const found = state.id ? load()[state.id] : undefined;
    return found ? fromStored(found) : null;
  },

  async update(_ctx, plan, prior) {
    const all = load();
    const current = all[prior.id!];
    if (!current) throw new ProviderError("Gone", `The echo ${prior.id} was deleted while updating.`);
    const state: EchoState = { ...plan, id: prior.id, token: prior.token, revision: current.revision + 1 };
    all[prior.id!] = toStored(state);
    save(all);
    return state;
  },

  async delete(_ctx, state) {
    const all = load();
    delete all[state.id!];
    save(all);
  },

  async import(_ctx, id) {
    const found = load()[id];
    return found ? fromStored(found) : null;
  },

  async modifyPlan(ctx, change) {
    // Stands in for an API call during plan (as meshplane_flow validates a flow).
    const v = change.config.value;
    if (!isUnknown(v) && v === "forbidden") {
      ctx.diagnostics.error("Value refused at plan time", "The value \"forbidden\" is refused; the pull request shows this before anyone applies.", ["value"]);
    }
  },
});

/** data "meshplane_test_echo": reads an echo by id (exercises ReadDataSource). */
export const testEchoDataSource = defineDataSource({
  typeName: "meshplane_test_echo",
  schema: {
    description: "Test-only: reads an echo from the local JSON file.",
    attributes: {
      id: { type: "string", required: true, description: "The echo's id." },
      name: { type: "string", computed: true, description: "Its name." },
      value: { type: "string", computed: true, description: "Its value." },
      labels: { type: ["map", "string"], computed: true, description: "Its labels." },
    },
  },
  async read(_ctx, config) {
    const found = load()[config.id];
    if (!found) throw new ProviderError("No such echo", `No echo has the id ${JSON.stringify(config.id)}.`, ["id"]);
    return { id: found.id!, name: found.name, value: found.value, labels: found.labels };
  },
});
