// The contract between the protocol core and a resource. A resource never sees the
// wire: it gets plain values of its own schema (StateOf<schema>), talks to the API
// through the provider's client, and throws (or adds diagnostics) to report problems.
import type { ProviderFunction } from "./function.ts";
import type { Unknown } from "../wire/types.ts";
import type { AttributePath, Diagnostics } from "./diagnostics.ts";
import type { Planned, Schema, StateOf } from "./schema.ts";

export interface Logger {
  trace(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ResourceContext<Client> {
  /** The configured API client. Reading it before the provider is configured throws a clear diagnostic. */
  readonly client: Client;
  /** False while the provider configuration is not yet known (e.g. an endpoint computed by another resource). */
  readonly configured: boolean;
  /** Warnings (and errors) to report alongside the result. */
  readonly diagnostics: Diagnostics;
  /** Aborted when Terraform asks the provider to stop (Ctrl-C): pass it to fetch. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface CreateContext<Client, State> extends ResourceContext<Client> {
  /**
   * Call as soon as the remote object exists. If anything fails afterwards, the
   * core still hands this state to Terraform (which marks it tainted and replaces
   * it next time) instead of forgetting an object that exists.
   */
  created(state: State): void;
}

/** What a resource may inspect and adjust while Terraform plans a create or update. */
export interface PlanChange<State> {
  readonly action: "create" | "update";
  /** The configuration; attributes may be unknown until apply. */
  readonly config: Planned<State>;
  readonly prior: State | null;
  /** The planned state, already computed by the core; the hook may change it. */
  readonly planned: Planned<State>;
  setUnknown(attribute: keyof State & string): void;
  requireReplace(attribute: keyof State & string): void;
}

export interface Resource<S extends Schema = Schema, Client = unknown> {
  /** Terraform type name, e.g. "meshplane_team". */
  readonly typeName: string;
  readonly schema: S;
  /** Creates the object; returns its full state (computed attributes filled in). */
  create(ctx: CreateContext<Client, StateOf<S>>, plan: StateOf<S>): Promise<StateOf<S>>;
  /** Reads the object; null when it no longer exists (drift: Terraform plans to re-create it). */
  read(ctx: ResourceContext<Client>, state: StateOf<S>): Promise<StateOf<S> | null>;
  /** Updates in place (attributes marked forceNew never reach here). */
  update(ctx: ResourceContext<Client>, plan: StateOf<S>, prior: StateOf<S>): Promise<StateOf<S>>;
  delete(ctx: ResourceContext<Client>, state: StateOf<S>): Promise<void>;
  /** Turns an import id (e.g. "retail.sales/daily_orders") into a state; read() runs next. Null = not found. */
  import(ctx: ResourceContext<Client>, id: string): Promise<Partial<StateOf<S>> | null>;
  /** Plan-time checks and adjustments (may call the API; report problems in ctx.diagnostics with a path). */
  modifyPlan?(ctx: ResourceContext<Client>, change: PlanChange<StateOf<S>>): Promise<void>;
  /** Offline checks of the configuration across attributes (terraform validate). */
  validateConfig?(config: Planned<StateOf<S>>, diagnostics: Diagnostics): void;
}

export interface DataSource<S extends Schema = Schema, Client = unknown> {
  readonly typeName: string;
  readonly schema: S;
  read(ctx: ResourceContext<Client>, config: StateOf<S>): Promise<StateOf<S>>;
}

export interface ProviderDefinition<Client, S extends Schema = Schema> {
  /** Registry type prefix, e.g. "meshplane". */
  readonly name: string;
  readonly schema: S;
  /** Builds the client from the provider block; undefined when the configuration is not yet known. */
  configure(config: Planned<StateOf<S>>, ctx: { diagnostics: Diagnostics; terraformVersion: string; signal: AbortSignal; log: Logger }): Promise<Client | undefined>;
  readonly resources: readonly Resource<any, Client>[];
  readonly dataSources: readonly DataSource<any, Client>[];
  /** Provider-defined functions (provider::<name>::<function>), when any. */
  readonly functions?: readonly ProviderFunction[];
}

/** Identity helpers that let TypeScript infer the state type from the schema literal. */
export function defineResource<const S extends Schema, Client>(r: Resource<S, Client>): Resource<S, Client> {
  return r;
}
export function defineDataSource<const S extends Schema, Client>(d: DataSource<S, Client>): DataSource<S, Client> {
  return d;
}

export type { AttributePath, Unknown };
