// One handler per provider RPC. Each turns wire values into plain ones, calls the
// framework core, and turns the result back; every failure becomes a diagnostic
// (a handler never rejects). Protocol 5 and 6 share these handlers; only the
// method names differ (see plugin/services.ts).
import { Diagnostics, diagnosticsFromError, ProviderError, type Diagnostic } from "../framework/diagnostics.ts";
import { applyChange, importState, readDataSource, readState, upgradeState } from "../framework/lifecycle.ts";
import { FunctionError, type ProviderFunction } from "../framework/function.ts";
import { planChange } from "../framework/plan.ts";
import type { DataSource, Logger, ProviderDefinition, Resource, ResourceContext } from "../framework/resource.ts";
import { typeOf, type Schema } from "../framework/schema.ts";
import { isWhollyKnown } from "../framework/values.ts";
import { fromDynamicValue, toDynamicValue, type WireDynamicValue } from "../wire/dynamic-value.ts";
import { isUnknown } from "../wire/types.ts";
import { rpcLogFromEnv } from "./rpc-log.ts";
import { toWireDiagnostics, toWirePath, toWireSchema } from "./wire-messages.ts";

type Obj = Record<string, unknown>;
type Req = Record<string, any>;

export class ProviderServer<Client> {
  private client: Client | undefined;
  private configured = false;
  private readonly stop = new AbortController();
  private readonly resources = new Map<string, Resource<any, Client>>();
  private readonly dataSources = new Map<string, DataSource<any, Client>>();
  private readonly functions = new Map<string, ProviderFunction>();
  private schemaResponse: object | undefined;
  private readonly rpcLog = rpcLogFromEnv(process.env);

  constructor(
    private readonly provider: ProviderDefinition<Client>,
    private readonly log: Logger,
  ) {
    for (const r of provider.resources) this.resources.set(r.typeName, r);
    for (const d of provider.dataSources) this.dataSources.set(d.typeName, d);
    for (const f of provider.functions ?? []) this.functions.set(f.name, f);
  }

  /** Aborted by StopProvider; in-flight API calls see it through ctx.signal. */
  get stopSignal(): AbortSignal {
    return this.stop.signal;
  }

  private capabilities() {
    // get_provider_schema_optional: Terraform may reuse a cached schema instead of
    // asking every new provider process for it.
    return { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false };
  }

  getMetadata(): object {
    return {
      server_capabilities: this.capabilities(),
      diagnostics: [],
      resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
      functions: [...this.functions.keys()].map((name) => ({ name })),
      ephemeral_resources: [],
    };
  }

  getProviderSchema(): object {
    this.schemaResponse ??= {
      provider: toWireSchema(this.provider.schema),
      resource_schemas: Object.fromEntries([...this.resources].map(([name, r]) => [name, toWireSchema(r.schema)])),
      data_source_schemas: Object.fromEntries([...this.dataSources].map(([name, d]) => [name, toWireSchema(d.schema)])),
      functions: this.functionSchemas(),
      ephemeral_resource_schemas: {},
      diagnostics: [],
      server_capabilities: this.capabilities(),
    };
    return this.schemaResponse;
  }

  /** GetFunctions: the same definitions GetProviderSchema carries (Terraform asks either). */
  getFunctions(): object {
    return { functions: this.functionSchemas(), diagnostics: [] };
  }

  /**
   * CallFunction. Functions run without the provider being configured (Terraform may call
   * them during validate). Every failure is a FunctionError (the reply has no diagnostics):
   * with an argument index when the function names one.
   */
  async callFunction(req: Req): Promise<object> {
    const f = this.functions.get(req.name);
    if (!f) return { result: null, error: { text: `This version of the Meshplane provider has no function "${req.name}".` } };
    try {
      const wire = (req.arguments ?? []) as (WireDynamicValue | null)[];
      if (wire.length !== f.parameters.length) throw new FunctionError(`${f.name} takes ${f.parameters.length} arguments (${f.parameters.map((p) => p.name).join(", ")}), got ${wire.length}.`);
      const args = f.parameters.map((p, i) => fromDynamicValue(wire[i], p.type));
      const result = await f.call(args);
      return { result: toDynamicValue(result, f.returnType) };
    } catch (e) {
      if (e instanceof FunctionError) return { result: null, error: { text: e.message, ...(e.argument !== undefined ? { function_argument: e.argument } : {}) } };
      this.log.error(`function ${f.name} failed`, { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      return { result: null, error: { text: `The Meshplane provider failed inside ${f.name}: ${e instanceof Error ? e.message : String(e)}` } };
    }
  }

  private functionSchemas(): Record<string, object> {
    return Object.fromEntries(
      [...this.functions].map(([name, f]) => [
        name,
        {
          parameters: f.parameters.map((p) => ({ name: p.name, type: Buffer.from(JSON.stringify(p.type)), allow_null_value: !!p.allowNull, allow_unknown_values: false, description: p.description, description_kind: 0 })),
          return: { type: Buffer.from(JSON.stringify(f.returnType)) },
          summary: f.summary,
          description: f.description,
          description_kind: 0,
        },
      ]),
    );
  }

  validateProviderConfig(req: Req): object {
    const diags = new Diagnostics();
    guard(diags, "validating the provider configuration", () => validateAttributes(this.provider.schema, decode(req.config, this.provider.schema), diags));
    return { diagnostics: toWireDiagnostics(diags.items) };
  }

  /** Protocol 5 name; it must hand the configuration back. */
  prepareProviderConfig(req: Req): object {
    return { ...this.validateProviderConfig(req), prepared_config: req.config ?? null };
  }

  validateResourceConfig(req: Req): object {
    const diags = new Diagnostics();
    guard(diags, `validating ${req.type_name}`, () => {
      const r = this.resource(req.type_name);
      const config = decode(req.config, r.schema) ?? {};
      validateAttributes(r.schema, config, diags);
      r.validateConfig?.(config as never, diags);
    });
    return { diagnostics: toWireDiagnostics(diags.items) };
  }

  validateDataResourceConfig(req: Req): object {
    const diags = new Diagnostics();
    guard(diags, `validating data source ${req.type_name}`, () => validateAttributes(this.dataSource(req.type_name).schema, decode(req.config, this.dataSource(req.type_name).schema) ?? {}, diags));
    return { diagnostics: toWireDiagnostics(diags.items) };
  }

  upgradeResourceState(req: Req): object {
    const diags = new Diagnostics();
    let upgraded: object | undefined;
    guard(diags, `upgrading the state of ${req.type_name}`, () => {
      const r = this.resource(req.type_name);
      const raw = req.raw_state ?? {};
      if (!raw.json || raw.json.length === 0) {
        if (raw.flatmap && Object.keys(raw.flatmap).length > 0) throw new ProviderError("Unsupported state format", "This state was written in the legacy flatmap format, which the Meshplane provider never wrote.");
      }
      upgraded = toDynamicValue(upgradeState(r.schema, Number(req.version ?? 0), raw.json ?? new Uint8Array()), typeOf(r.schema));
    });
    return { upgraded_state: upgraded ?? null, diagnostics: toWireDiagnostics(diags.items) };
  }

  async configureProvider(req: Req): Promise<object> {
    const diags = new Diagnostics();
    try {
      const config = (decode(req.config, this.provider.schema) ?? {}) as Obj;
      this.client = await this.provider.configure(config as never, { diagnostics: diags, terraformVersion: req.terraform_version ?? "", signal: this.stop.signal, log: this.log });
      this.configured = this.client !== undefined;
    } catch (e) {
      diags.add(...diagnosticsFromError(e, "configuring the provider"));
    }
    return { diagnostics: toWireDiagnostics(diags.items) };
  }

  async readResource(req: Req): Promise<object> {
    const ctx = this.context();
    let newState: Obj | null = null;
    let r: Resource<any, Client> | undefined;
    try {
      r = this.resource(req.type_name);
      const state = decode(req.current_state, r.schema) as Obj | null;
      newState = state === null ? null : await readState(r, state, ctx);
    } catch (e) {
      ctx.diagnostics.add(...diagnosticsFromError(e, `reading ${req.type_name}`));
    }
    // The reply's private data replaces the stored one: always hand it back.
    return { new_state: r ? toDynamicValue(newState, typeOf(r.schema)) : null, diagnostics: toWireDiagnostics(ctx.diagnostics.items), private: req.private ?? Buffer.alloc(0) };
  }

  async planResourceChange(req: Req): Promise<object> {
    const ctx = this.context();
    try {
      const r = this.resource(req.type_name);
      const config = decode(req.config, r.schema) as Obj | null;
      this.rpcLog?.("PlanResourceChange", "begin", req.type_name, config);
      const plan = await planChange(r, {
        prior: decode(req.prior_state, r.schema) as Obj | null,
        proposed: decode(req.proposed_new_state, r.schema) as Obj | null,
        config,
      }, ctx);
      this.rpcLog?.("PlanResourceChange", "end", req.type_name, config);
      return {
        planned_state: toDynamicValue(plan.planned, typeOf(r.schema)),
        requires_replace: plan.requiresReplace.map(toWirePath),
        planned_private: req.prior_private ?? Buffer.alloc(0),
        diagnostics: toWireDiagnostics(ctx.diagnostics.items),
      };
    } catch (e) {
      return { planned_state: req.proposed_new_state ?? null, diagnostics: toWireDiagnostics([...ctx.diagnostics.items, ...diagnosticsFromError(e, `planning ${req.type_name}`)]) };
    }
  }

  async applyResourceChange(req: Req): Promise<object> {
    const ctx = this.context();
    try {
      const r = this.resource(req.type_name);
      const prior = decode(req.prior_state, r.schema) as Obj | null;
      const planned = decode(req.planned_state, r.schema) as Obj | null;
      this.rpcLog?.("ApplyResourceChange", "begin", req.type_name, planned ?? prior);
      const newState = await applyChange(r, prior, planned, ctx);
      this.rpcLog?.("ApplyResourceChange", "end", req.type_name, planned ?? prior);
      return { new_state: toDynamicValue(newState, typeOf(r.schema)), private: req.planned_private ?? Buffer.alloc(0), diagnostics: toWireDiagnostics(ctx.diagnostics.items) };
    } catch (e) {
      return { new_state: req.prior_state ?? null, diagnostics: toWireDiagnostics([...ctx.diagnostics.items, ...diagnosticsFromError(e, `applying ${req.type_name}`)]) };
    }
  }

  async importResourceState(req: Req): Promise<object> {
    const ctx = this.context();
    const imported: object[] = [];
    try {
      const r = this.resource(req.type_name);
      const state = await importState(r, String(req.id ?? ""), ctx);
      if (state) imported.push({ type_name: req.type_name, state: toDynamicValue(state, typeOf(r.schema)), private: Buffer.alloc(0) });
    } catch (e) {
      ctx.diagnostics.add(...diagnosticsFromError(e, `importing ${req.type_name}`));
    }
    return { imported_resources: imported, diagnostics: toWireDiagnostics(ctx.diagnostics.items) };
  }

  async readDataSource(req: Req): Promise<object> {
    const ctx = this.context();
    try {
      const d = this.dataSource(req.type_name);
      const config = (decode(req.config, d.schema) ?? {}) as Obj;
      const state = await readDataSource(d, config, ctx);
      return { state: state ? toDynamicValue(state, typeOf(d.schema)) : null, diagnostics: toWireDiagnostics(ctx.diagnostics.items) };
    } catch (e) {
      return { diagnostics: toWireDiagnostics([...ctx.diagnostics.items, ...diagnosticsFromError(e, `reading data source ${req.type_name}`)]) };
    }
  }

  stopProvider(): object {
    this.log.info("Terraform asked the provider to stop: cancelling in-flight API calls");
    this.stop.abort();
    return { Error: "" };
  }

  private resource(typeName: string): Resource<any, Client> {
    const r = this.resources.get(typeName);
    if (!r) throw new ProviderError(`Unknown resource type ${typeName}`, `This version of the Meshplane provider has no resource type "${typeName}".`);
    return r;
  }

  private dataSource(typeName: string): DataSource<any, Client> {
    const d = this.dataSources.get(typeName);
    if (!d) throw new ProviderError(`Unknown data source ${typeName}`, `This version of the Meshplane provider has no data source "${typeName}".`);
    return d;
  }

  private context(): ResourceContext<Client> {
    const server = this;
    return {
      get client(): Client {
        if (!server.configured || server.client === undefined) {
          throw new ProviderError("Provider not configured", "The Meshplane provider configuration is not known yet (it depends on values known only after apply) or was rejected; see the other errors.");
        }
        return server.client;
      },
      configured: this.configured,
      diagnostics: new Diagnostics(),
      signal: this.stop.signal,
      log: this.log,
    };
  }
}

function decode(dv: WireDynamicValue | null | undefined, schema: Schema): unknown {
  return fromDynamicValue(dv, typeOf(schema));
}

function guard(diags: Diagnostics, what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    diags.add(...diagnosticsFromError(e, what));
  }
}

/** Per-attribute offline checks (terraform validate): known values only, errors point at the attribute. */
function validateAttributes(schema: Schema, config: unknown, diags: Diagnostics): void {
  if (config === null || typeof config !== "object") return;
  const values = config as Obj;
  for (const [name, attr] of Object.entries(schema.attributes)) {
    const v = values[name];
    if (v === null || v === undefined || isUnknown(v)) continue;
    if (attr.deprecated) diags.warning(`${name} is deprecated`, attr.deprecated, [name]);
    if (attr.validate && isWhollyKnown(v)) {
      const problem = attr.validate(v);
      if (problem) diags.error(`Invalid ${name}`, problem, [name]);
    }
  }
}

export type { Diagnostic };
