import { z } from "zod";
import { datasetName, description, labels, namespaceName, tableName } from "../../names.ts";
import type { TableService } from "../../services/table-service.ts";
import { BQ_MODES, BQ_TYPES, RANGE_ELEMENT_TYPES, ROUNDING_MODES, TIME_PARTITION_TYPES } from "../../tables/bq-types.ts";
import { FEED_TYPES } from "../../tables/contract-plan.ts";
import { SEMVER } from "../../tables/semver.ts";
import { pageOf, pageQuery } from "../../pagination.ts";
import { ifMatchValue, ifNoneMatchAbsent } from "../if-match.ts";
import { route } from "../route.ts";
import { actorOf } from "./actor.ts";

/**
 * Table contracts. The path names a table as BigQuery does, `{dataset}.{table}`
 * (`/tables/retail.sales/retail_sales.orders`): dataset and table ids cannot contain a
 * dot, so the split is unambiguous. The dry run is `POST …/check` (not `?dryRun` on the
 * PUT) so that it needs no write and answers 200 with the verdict even when the PUT
 * would answer 409: `terraform plan` turns `accepted: false` into a diagnostic.
 */
const int64 = z.string().describe("an int64, as a decimal string");
const bqField: z.ZodType = z
  .object({
    name: z.string(),
    type: z.enum(BQ_TYPES),
    mode: z.enum(BQ_MODES),
    description: z.string().optional(),
    get fields() {
      return z.array(bqField).optional();
    },
    policyTags: z.object({ names: z.array(z.string()) }).optional(),
    dataPolicies: z.array(z.unknown()).optional(),
    maxLength: int64.optional(),
    precision: int64.optional(),
    scale: int64.optional(),
    roundingMode: z.enum(ROUNDING_MODES).optional(),
    collation: z.string().optional(),
    defaultValueExpression: z.string().optional(),
    rangeElementType: z.object({ type: z.enum(RANGE_ELEMENT_TYPES) }).optional(),
    foreignTypeDefinition: z.string().optional(),
    timestampPrecision: int64.optional(),
  })
  .meta({ id: "BigQueryField", description: "A column (BigQuery TableFieldSchema), normalised: canonical type names, explicit mode" });

const tableSchema = z
  .object({
    fields: z.array(bqField),
    timePartitioning: z.object({ type: z.enum(TIME_PARTITION_TYPES), field: z.string().optional(), expirationMs: int64.optional() }).optional(),
    rangePartitioning: z.object({ field: z.string(), range: z.object({ start: int64, end: int64, interval: int64 }) }).optional(),
    clustering: z.object({ fields: z.array(z.string()) }).optional(),
    requirePartitionFilter: z.literal(true).optional(),
  })
  .meta({ id: "BigQueryTableSchema" });

const policyWarning = z.object({ kind: z.literal("policy"), policy: z.string(), message: z.string() }).meta({ id: "PolicyWarning" });

const table = z
  .object({
    namespace: z.string(),
    dataset: z.string(),
    table: z.string(),
    schema: tableSchema,
    feedType: z.enum(FEED_TYPES),
    keys: z.array(z.string()),
    description: z.string(),
    labels: z.record(z.string(), z.string()),
    version: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    warnings: z.array(policyWarning).optional().describe("PUT only, when there are some: the warning policies the contract does not satisfy (they never block)"),
  })
  .meta({ id: "TableContract" });

const change = z.object({
  path: z.string().describe("dotted column path (customer.address.zip) or a table property (timePartitioning, clustering, feedType, keys, …)"),
  kind: z.string().describe("a stable code such as column-removed, type-widened, made-required"),
  change: z.string(),
  breaking: z.boolean(),
  level: z.enum(["major", "minor", "patch"]),
});

const check = z
  .object({
    namespace: z.string(),
    dataset: z.string(),
    table: z.string(),
    accepted: z.boolean().describe("whether the same PUT would be accepted now"),
    action: z.enum(["create", "recreate", "update", "unchanged"]),
    breaking: z.boolean(),
    changes: z.array(change),
    currentVersion: z.string().nullable(),
    nextVersion: z.string().describe("the version after the PUT; when refused, the version to send"),
    problems: z.array(z.object({ kind: z.enum(["breaking-change", "version", "dataset-namespace", "dataset-writers", "if-match", "policy"]), message: z.string() })),
    warnings: z.array(policyWarning).describe("warning policies the contract does not satisfy (the PUT passes and answers them)"),
  })
  .meta({ id: "TableContractCheck" });

const tableVersion = z
  .object({
    version: z.string(),
    at: z.string(),
    subject: z.string().describe("who wrote this version"),
    schema: tableSchema,
    feedType: z.string(),
    keys: z.array(z.string()),
    changes: z.array(change).describe("the changes from the version before (empty for the first)"),
    breaking: z.boolean(),
  })
  .meta({ id: "TableContractVersion" });

const consumers = z
  .object({
    items: z.array(z.object({ namespace: z.string(), flowId: z.string() })),
    hidden: z.number().int().describe("consumers in namespaces the caller cannot read: counted, not named"),
  })
  .meta({ id: "TableConsumers" });

const body = z.strictObject({
  schema: z
    .union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string()], {
      error: "is required: the JSON of `bq show --format=prettyjson project:dataset.table`, its `schema` ({fields}) or `schema.fields` (an array), as JSON or as a string",
    })
    .describe("the `bq show --format=prettyjson` table, its `schema` object or its `schema.fields` array (JSON, or a string holding it)"),
  feedType: z.enum(FEED_TYPES),
  keys: z.array(z.string().min(1).max(300)).max(64).optional().describe("top-level columns identifying a row; required for MODE_DELTA"),
  description: description.optional(),
  labels: labels.optional().describe("key → value metadata (owner, layer…), as on flows; a change is a patch version"),
  version: z
    .string()
    .regex(SEMVER, "must be a MAJOR.MINOR.PATCH version such as 2.0.0")
    .optional()
    .describe("the contract version; omitted = 1.0.0 on creation, else bumped automatically. A breaking change needs a higher major"),
});

const byTable = z.object({ namespace: namespaceName, dataset: datasetName, table: tableName });
const key = (p: z.infer<typeof byTable>) => ({ namespace: p.namespace, dataset: p.dataset, table: p.table });
const ifMatchOf = (headers: Readonly<Record<string, string | undefined>>) => (ifNoneMatchAbsent(headers) ? ({ absent: true } as const) : ifMatchValue(headers["if-match"]));

export function tableRoutes(tables: TableService) {
  return [
    route({
      method: "put", path: "/tables/{namespace}/{dataset}.{table}", operationId: "putTable",
      summary: "Create or update a table contract (409 on a breaking change without a new major version; If-Match: \"<version>\" to update only that version; If-None-Match: * to create only)", tags: ["tables"],
      access: { kind: "namespace", permission: "table.write", namespace: ({ params }) => params.namespace },
      params: byTable,
      body,
      responses: {
        200: { description: "Updated, or unchanged (same version)", schema: table },
        201: { description: "Created", schema: table },
      },
      handler: async ({ params, body: input, headers }, ctx) => {
        const { table: view, created } = await tables.put(actorOf(ctx), key(params), input, ifMatchOf(headers));
        return { status: created ? 201 : 200, body: view, headers: { ETag: `"${view.version}"` } };
      },
    }),
    route({
      method: "post", path: "/tables/{namespace}/{dataset}.{table}/check", operationId: "checkTable",
      summary: "Dry run of the PUT: the changes, whether they break the contract, the next version; writes nothing", tags: ["tables"],
      access: { kind: "namespace", permission: "table.write", namespace: ({ params }) => params.namespace },
      params: byTable,
      body,
      responses: { 200: { description: "The verdict (accepted: false when the PUT would answer 409)", schema: check } },
      handler: async ({ params, body: input, headers }) => ({ status: 200, body: await tables.check(key(params), input, ifMatchOf(headers)) }),
    }),
    route({
      method: "get", path: "/tables/{namespace}/{dataset}.{table}", operationId: "getTable", summary: "Get a table contract", tags: ["tables"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: byTable,
      responses: { 200: { description: "The table contract", schema: table } },
      handler: async ({ params }) => {
        const view = await tables.get(key(params));
        return { status: 200, body: view, headers: { ETag: `"${view.version}"` } };
      },
    }),
    route({
      method: "get", path: "/tables/{namespace}/{dataset}.{table}/versions", operationId: "listTableVersions",
      summary: "The versions of a table contract, oldest first, each with its changes from the one before (from the audit log of its writes)", tags: ["tables"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: byTable,
      responses: { 200: { description: "The versions since the contract was (re)created", schema: z.object({ items: z.array(tableVersion) }) } },
      handler: async ({ params }) => ({ status: 200, body: { items: await tables.versions(key(params)) } }),
    }),
    route({
      method: "get", path: "/tables/{namespace}/{dataset}.{table}/consumers", operationId: "listTableConsumers",
      summary: "The live flows that read a table (a flow in a namespace the caller cannot read is counted in `hidden`, not named)", tags: ["tables"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: byTable,
      responses: { 200: { description: "The consumers", schema: consumers } },
      handler: async ({ params }, ctx) => ({ status: 200, body: await tables.consumers(ctx.principal, key(params)) }),
    }),
    route({
      method: "get", path: "/tables/{namespace}", operationId: "listTables", summary: "List the table contracts of a namespace", tags: ["tables"],
      access: { kind: "namespace", permission: "namespace.read", namespace: ({ params }) => params.namespace },
      params: z.object({ namespace: namespaceName }),
      query: pageQuery.extend({ dataset: datasetName.optional().describe("only the tables of this dataset") }),
      responses: { 200: { description: "A page of table contracts, by dataset then table", schema: pageOf(table) } },
      handler: async ({ params, query }) => ({
        status: 200,
        body: await tables.list(params.namespace, query.dataset ? { dataset: query.dataset } : {}, query),
      }),
    }),
    route({
      method: "delete", path: "/tables/{namespace}/{dataset}.{table}", operationId: "deleteTable",
      summary: "Delete a table contract (409 listing the flows that read it, unless ?force=true with access.manage)", tags: ["tables"],
      access: { kind: "namespace", permission: "table.write", namespace: ({ params }) => params.namespace },
      params: byTable,
      query: z.object({
        force: z
          .enum(["true", "false"])
          .optional()
          .describe("delete even though flows read the table; needs access.manage on the namespace"),
      }),
      responses: { 204: { description: "Deleted" } },
      handler: async ({ params, query }, ctx) => {
        await tables.delete(actorOf(ctx), ctx.principal, key(params), query.force === "true");
        return { status: 204 };
      },
    }),
  ];
}
