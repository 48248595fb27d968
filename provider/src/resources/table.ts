// meshplane_table: a table contract `(namespace, dataset.table)`: the `bq show`
// schema, a feed type, keys and a semver version. During plan the API's dry run
// (POST …/check) says whether the change breaks the contract; a breaking change
// fails the plan, naming each change and the major version to declare.
import { FEED_TYPES, isFeedType } from "@meshplane/rules";
import { ProviderError } from "../framework/diagnostics.ts";
import { defineDataSource, defineResource, type ResourceContext } from "../framework/resource.ts";
import type { MeshplaneClient } from "../meshplane/http-client.ts";
import { isUnknown, type TfNumber } from "../wire/types.ts";
import { alreadyExists, alreadyExistsDetail, deleteWaitingForDependents, nameRule, seg, splitImportId, stringMap } from "./common.ts";
import { normaliseTableSchema, tableSchemaEqual } from "./table-schema.ts";
import { canonicalJson } from "./flow-yaml.ts";
import { plannedObjects } from "./planned.ts";
import { ApiError } from "../meshplane/problem.ts";

interface ApiTable {
  namespace: string;
  dataset: string;
  table: string;
  schema: Record<string, unknown>;
  feedType: string;
  keys: string[];
  description: string;
  labels?: Record<string, string>;
  version: string;
}
interface ApiCheck {
  accepted: boolean;
  action: "create" | "recreate" | "update" | "unchanged";
  breaking: boolean;
  changes: { path: string; kind: string; change: string; breaking: boolean; level: string }[];
  currentVersion: string | null;
  nextVersion: string;
  problems: { kind: string; message: string }[];
  /** Warning platform policies the contract does not satisfy (absent from older control planes). */
  warnings?: { kind: string; policy: string; message: string }[];
}

const schema = {
  description: "A Meshplane table contract: a BigQuery table's schema (as `bq show --format=prettyjson` prints it), its feed type and keys, and a version. A breaking change (column removed, type narrowed, column made REQUIRED, …) fails `terraform plan` unless `major_version` is raised. Needs `developer` on the namespace.",
  attributes: {
    namespace: { type: "string", required: true, forceNew: true, validate: nameRule("namespace"), description: "The namespace that owns the table's dataset. Changing it replaces the contract." },
    dataset: { type: "string", required: true, forceNew: true, validate: nameRule("dataset"), description: "BigQuery dataset id, e.g. `retail_sales`. Changing it replaces the contract." },
    table: { type: "string", required: true, forceNew: true, validate: nameRule("table"), description: "BigQuery table id, e.g. `orders`. Changing it replaces the contract." },
    schema_json: {
      type: "string",
      required: true,
      equal: tableSchemaEqual,
      validate: (v: unknown) => {
        try {
          JSON.parse(v as string);
          return undefined;
        } catch (e) {
          return `schema_json is not valid JSON: ${(e as Error).message}`;
        }
      },
      description: "The JSON of `bq show --format=prettyjson project:dataset.table` (or its `schema`, or `schema.fields`), e.g. `file(\"retail_sales/orders/schema.json\")`. Compared by meaning: key order, whitespace and type aliases (INT64/INTEGER) are no change.",
    },
    feed_type: {
      type: "string",
      required: true,
      validate: (v: unknown) => (isFeedType(v) ? undefined : `${JSON.stringify(v)} is not a feed type; expected one of ${FEED_TYPES.join(", ")}.`),
      description: "How loads write the table: `WRITE_APPEND`, `WRITE_TRUNCATE` or `MODE_DELTA` (a MERGE on `keys`).",
    },
    keys: { type: ["list", "string"], optional: true, computed: true, description: "Top-level columns identifying a row; required for `MODE_DELTA` unless the schema declares a primary key (then that is the default)." },
    description: { type: "string", optional: true, computed: true, description: "The contract's description; defaults to the `description` of the `bq show` document." },
    labels: { type: ["map", "string"], optional: true, computed: true, default: {}, description: "Labels (owner, layer…), as on flows; platform policies can read them. A change of labels alone is a patch version. Defaults to none." },
    major_version: {
      type: "number",
      optional: true,
      validate: (v: unknown) => (Number.isInteger(Number(v)) && Number(v) >= 1 ? undefined : "major_version must be a whole number ≥ 1."),
      description: "Raise it (e.g. from 1 to 2) to accept a breaking change: the contract then moves to `<major_version>.0.0`. Otherwise versions are bumped automatically (minor for compatible changes, patch for descriptions).",
    },
    version: { type: "string", computed: true, changesOnUpdate: true, description: "The contract's semver version, e.g. `1.2.0`." },
  },
} as const;

const tablePath = (ns: string, dataset: string, table: string) => `/api/v1/tables/${seg(ns)}/${seg(dataset)}.${seg(table)}`;

type TableState = {
  namespace: string;
  dataset: string;
  table: string;
  schema_json: string;
  feed_type: string;
  keys: string[] | null;
  description: string | null;
  labels: Record<string, string> | null;
  major_version: TfNumber | null;
  version: string | null;
};

function body(plan: TableState, currentVersion: string | null) {
  const major = plan.major_version === null ? null : Number(plan.major_version);
  const current = currentVersion ? Number(currentVersion.split(".")[0]) : 0;
  return {
    schema: JSON.parse(plan.schema_json) as unknown,
    feedType: plan.feed_type,
    ...(plan.keys !== null ? { keys: plan.keys } : {}),
    ...(plan.description !== null ? { description: plan.description } : {}),
    labels: stringMap(plan.labels),
    // Only a raise is sent: otherwise the API bumps minor/patch versions by itself.
    ...(major !== null && major > current ? { version: `${major}.0.0` } : {}),
  };
}

function fromApi(t: ApiTable, state: Partial<TableState>): TableState {
  // The state keeps the user's JSON while it means what the API stores (no perpetual
  // diff); after a change outside Terraform it becomes the API's normalised schema.
  const same = state.schema_json != null && canonicalJson(normaliseTableSchema(JSON.parse(state.schema_json))) === canonicalJson(normaliseTableSchema(t.schema));
  return {
    namespace: t.namespace,
    dataset: t.dataset,
    table: t.table,
    schema_json: same ? state.schema_json! : JSON.stringify(t.schema, null, 2),
    feed_type: t.feedType,
    keys: [...t.keys],
    description: t.description,
    labels: stringMap(t.labels),
    major_version: state.major_version ?? null,
    version: t.version,
  };
}

/** With no current version (a create), If-None-Match: * — a contract registered elsewhere is never adopted silently. */
async function putTable(ctx: ResourceContext<MeshplaneClient>, plan: TableState, currentVersion: string | null): Promise<ApiTable> {
  try {
    return await ctx.client.put<ApiTable>(tablePath(plan.namespace, plan.dataset, plan.table), body(plan, currentVersion), {
      path: ["schema_json"],
      headers: currentVersion ? { "if-match": `"${currentVersion}"` } : { "if-none-match": "*" },
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && !currentVersion && /already exists/.test(e.problem.detail ?? "")) {
      throw alreadyExists("table", `${plan.namespace}/${plan.dataset}.${plan.table}`, e);
    }
    throw e;
  }
}

export const tableResource = defineResource<typeof schema, MeshplaneClient>({
  typeName: "meshplane_table",
  schema,

  async create(ctx, plan) {
    const t = await putTable(ctx, plan, null);
    return { ...fromApi(t, plan), schema_json: plan.schema_json };
  },

  async read(ctx, state) {
    const t = await ctx.client.getOrNull<ApiTable>(tablePath(state.namespace, state.dataset, state.table));
    return t && fromApi(t, state);
  },

  async update(ctx, plan, prior) {
    const t = await putTable(ctx, plan, prior.version);
    return { ...fromApi(t, plan), schema_json: plan.schema_json };
  },

  async delete(ctx, state) {
    // 409 while flows read the table; in a destroy they are usually going away too.
    await deleteWaitingForDependents(ctx.client, tablePath(state.namespace, state.dataset, state.table), ctx.signal);
  },

  async import(ctx, id) {
    const [ns, name] = splitImportId(id, "<namespace>/<dataset>.<table>", "retail.sales/retail_sales.orders");
    const dot = name.indexOf(".");
    if (dot <= 0) throw new ProviderError("Invalid import id", `Expected <namespace>/<dataset>.<table>, e.g. retail.sales/retail_sales.orders; got ${JSON.stringify(id)}.`);
    const t = await ctx.client.getOrNull<ApiTable>(tablePath(ns, name.slice(0, dot), name.slice(dot + 1)));
    return t && fromApi(t, {});
  },

  async modifyPlan(ctx, change) {
    const c = change.config;
    const known = [c.namespace, c.dataset, c.table, c.schema_json, c.feed_type, c.keys, c.description, c.labels, c.major_version].every((v) => !isUnknown(v));
    if (!ctx.configured || !known) return; // the PUT at apply checks the same
    // Keys and description left out of the configuration are the API's defaults on
    // create (unknown in the plan: leave them out) and the stored values on update.
    const planned = change.planned;
    const plan = {
      ...(planned as TableState),
      keys: (isUnknown(planned.keys) ? c.keys : planned.keys) as string[] | null,
      description: (isUnknown(planned.description) ? c.description : planned.description) as string | null,
    };
    const prior = change.prior as TableState | null;
    let res: { body: ApiCheck };
    try {
      res = await ctx.client.request<ApiCheck>("POST", `${tablePath(plan.namespace, plan.dataset, plan.table)}/check`, {
        body: body(plan, prior?.version ?? null),
        path: ["schema_json"],
        // A create: the plan already says when the contract exists outside this configuration.
        ...(prior ? {} : { headers: { "if-none-match": "*" } }),
      });
    } catch (e) {
      // A namespace this plan creates first (planned.ts) is not registered yet: a new contract
      // there has nothing to break, and the PUT at apply checks everything else.
      if (e instanceof ApiError && e.status === 404 && plannedObjects(ctx.client).governsPlanned(plan.namespace)) {
        ctx.log.debug("table check skipped: its namespace is created by this plan", { namespace: plan.namespace });
        return;
      }
      throw e;
    }
    const check = res.body;
    if (prior && check.action === "unchanged") {
      // The API reads both as the same contract: nothing to apply (e.g. an alias the offline comparison missed).
      change.planned.schema_json = prior.schema_json;
      change.planned.version = prior.version;
      return;
    }
    for (const p of check.problems) {
      if (p.kind === "breaking-change") {
        const breaking = check.changes.filter((x) => x.breaking).map((x) => `  - ${x.path}: ${x.change}`).join("\n");
        const nextMajor = Number(check.nextVersion.split(".")[0]);
        ctx.diagnostics.error(
          `Breaking change to table ${plan.dataset}.${plan.table}`,
          `This change breaks contract version ${check.currentVersion}:\n${breaking}\n\nEither make it compatible, or, after agreeing with the table's readers, set major_version = ${nextMajor} (the contract becomes ${check.nextVersion}).`,
          ["schema_json"],
        );
      } else if (p.kind === "if-match" && !prior) {
        const id = `${plan.namespace}/${plan.dataset}.${plan.table}`;
        ctx.diagnostics.error(`The table ${id} already exists`, alreadyExistsDetail("table", id, p.message), ["table"]);
      } else if (p.kind === "policy") {
        ctx.diagnostics.error("Table contract refused by a platform policy", p.message, ["schema_json"]);
      } else {
        ctx.diagnostics.error(`Table contract refused (${p.kind})`, p.message, p.kind === "version" ? ["major_version"] : ["schema_json"]);
      }
    }
    for (const w of check.warnings ?? []) ctx.diagnostics.warning("Platform policy warning", w.message, ["schema_json"]);
  },
});

const dataSchema = {
  description: "Reads a Meshplane table contract.",
  attributes: {
    namespace: { type: "string", required: true, description: "The table's namespace." },
    dataset: { type: "string", required: true, description: "BigQuery dataset id." },
    table: { type: "string", required: true, description: "BigQuery table id." },
    schema_json: { type: "string", computed: true, description: "The normalised schema (`{fields, timePartitioning?, rangePartitioning?, clustering?}`) as JSON." },
    feed_type: { type: "string", computed: true, description: "The feed type." },
    keys: { type: ["list", "string"], computed: true, description: "The keys." },
    description: { type: "string", computed: true, description: "The description." },
    labels: { type: ["map", "string"], computed: true, description: "The labels." },
    version: { type: "string", computed: true, description: "The contract version." },
  },
} as const;

export const tableDataSource = defineDataSource<typeof dataSchema, MeshplaneClient>({
  typeName: "meshplane_table",
  schema: dataSchema,
  async read(ctx, config) {
    const t = await ctx.client.get<ApiTable>(tablePath(config.namespace, config.dataset, config.table), { path: ["table"] });
    const { major_version: _m, ...rest } = fromApi(t, {});
    return rest;
  },
});
