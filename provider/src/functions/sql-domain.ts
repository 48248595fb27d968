// provider::meshplane::sql_domain(files, options): the SQL-folder compiler for plain HCL.
// It runs the very core SqlDomain runs (@meshplane/modules/core: read → lineage → flow
// YAML → resource arguments), bundled into the provider, on the files Terraform hands it
// (`{ for f in fileset(path, …) : f => file("${path}/${f}") }`): a function cannot read the
// disk itself, and must give the same result on every call for the same arguments, which
// a pure compile of its inputs does. The module modules/hcl/sql-domain wraps it.
import { defineFunction, FunctionError } from "../framework/function.ts";
import { DynamicValue, type TfType } from "../wire/types.ts";

const TABLE: TfType = ["object", { namespace: "string", dataset: "string", table: "string", schema_json: "string", feed_type: "string", keys: ["list", "string"], description: "string", labels: ["map", "string"] }];
const FLOW: TfType = ["object", { namespace: "string", flow_id: "string", source: "string", upstream_flows: ["list", "string"] }];
const GRANT: TfType = ["object", { upstream_namespace: "string", downstream_namespace: "string", kinds: ["list", "string"], needed_by: ["list", ["object", { flow_id: "string", upstream_flow_id: "string" }]] }];

export const SQL_DOMAIN_RESULT: TfType = [
  "object",
  { namespace: "string", team: "string", project: "string", tables: ["map", TABLE], flows: ["map", FLOW], required_grants: ["list", GRANT], warnings: ["list", "string"] },
];

/** options attribute → its type and the override it sets (SqlDomain's prop of the same meaning). */
const OPTIONS: Record<string, "string" | "map"> = {
  namespace: "string",
  team: "string",
  project: "string",
  location: "string",
  default_schedule: "string",
  default_feed_type: "string",
  timezone: "string",
  upstream: "map",
};
const FILES_ARG = 0;
const OPTIONS_ARG = 1;

export const sqlDomainFunction = defineFunction({
  name: "sql_domain",
  summary: "Compiles a SQL domain folder into meshplane_table and meshplane_flow arguments",
  description:
    "Reads a domain repository (domain.yaml, <dataset>/<table>/query.sql + schema.json [+ table.yaml], <dataset>/<view>/view.sql) " +
    "given as a map of relative path → content, infers the lineage from the SQL and returns what SqlDomain would create: " +
    "tables and flows keyed by Terraform name, the trigger grants producers must create, and lineage warnings. " +
    "Errors name the file, line and column. Requires Terraform 1.8 or later.",
  parameters: [
    { name: "files", type: ["map", "string"], description: 'Relative path → file content, e.g. { for f in fileset(path, "**") : f => file("${path}/${f}") }.' },
    {
      name: "options",
      type: "dynamic",
      allowNull: true,
      description: `Overrides of domain.yaml, an object with any of ${Object.keys(OPTIONS).join(", ")} (null or {} for none).`,
    },
  ],
  returnType: SQL_DOMAIN_RESULT,
  async call([files, options]) {
    // Loaded on first call only: most provider processes of a run never compile a domain.
    const core = await import("@meshplane/modules/core");
    const texts = files as Record<string, string>;
    if (Object.keys(texts).length === 0) throw new FunctionError('files is empty: fileset() matched nothing. Pass the domain folder (the one holding domain.yaml), e.g. fileset(path, "**").', FILES_ARG);
    const overrides = overridesOf(options);
    try {
      const source = core.memoryFiles(texts, "files");
      const compiled = core.compileDomain(source, { overrides });
      const args = core.meshplaneArguments(compiled, (file) => core.readTextFile(source, file));
      const { domain } = compiled;
      return { namespace: domain.namespace, team: domain.team, project: domain.project, tables: args.tables, flows: args.flows, required_grants: args.requiredGrants, warnings: args.warnings };
    } catch (e) {
      if (!(e instanceof core.ModuleError)) throw e;
      // Problems in overrides are reported by the core under SqlDomain's name for its props.
      const inOptions = e.file === "SqlDomain props";
      const text = e.message.replaceAll("SqlDomain props", "options").replaceAll("the namespace prop of SqlDomain", "options.namespace").replace(/the (\w+) prop of SqlDomain/g, "options.$1");
      throw new FunctionError(text, inOptions ? OPTIONS_ARG : FILES_ARG);
    }
  },
});

/** The options object → the core's overrides; anything unexpected is an error on that argument. */
function overridesOf(options: unknown) {
  if (options === null || options === undefined) return {};
  const value = options instanceof DynamicValue ? options.value : options;
  const type = options instanceof DynamicValue ? options.type : undefined;
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || (type !== undefined && !(Array.isArray(type) && (type[0] === "object" || type[0] === "map")))) {
    throw new FunctionError(`options must be an object such as { namespace = "retail.sales" } (or null), got ${type ? JSON.stringify(type) : typeof value}.`, OPTIONS_ARG);
  }
  const out: Record<string, string | Record<string, string>> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const kind = OPTIONS[key];
    if (!kind) throw new FunctionError(`options has an unknown attribute "${key}"; expected any of ${Object.keys(OPTIONS).join(", ")}.`, OPTIONS_ARG);
    if (v === null) continue; // an optional attribute the module leaves unset
    if (kind === "string" && typeof v !== "string") throw new FunctionError(`options.${key} must be a string.`, OPTIONS_ARG);
    if (kind === "map" && (typeof v !== "object" || Array.isArray(v) || Object.values(v as object).some((x) => typeof x !== "string"))) {
      throw new FunctionError(`options.${key} must be a map of dataset → namespace, e.g. { supply_mart = "retail.supply" }.`, OPTIONS_ARG);
    }
    out[key] = v as string | Record<string, string>;
  }
  const s = (k: string) => (out[k] as string | undefined);
  const defaults = {
    ...(s("default_schedule") !== undefined ? { schedule: s("default_schedule")! } : {}),
    ...(s("default_feed_type") !== undefined ? { feedType: s("default_feed_type") as never } : {}),
    ...(s("location") !== undefined ? { location: s("location")! } : {}),
    ...(s("timezone") !== undefined ? { timezone: s("timezone")! } : {}),
  };
  return {
    ...(s("namespace") !== undefined ? { namespace: s("namespace")! } : {}),
    ...(s("team") !== undefined ? { team: s("team")! } : {}),
    ...(s("project") !== undefined ? { project: s("project")! } : {}),
    ...(out.upstream !== undefined ? { upstream: { ...(out.upstream as Record<string, string>) } } : {}),
    ...(Object.keys(defaults).length > 0 ? { defaults } : {}),
  };
}
