/**
 * One table or view folder of a domain repository:
 *   query.sql + schema.json [+ table.yaml]   → a table
 *   view.sql [+ table.yaml] [+ schema.json]  → a view
 * Reading is separate from walking (read-domain.ts) so each file's rules sit together.
 */
import { ModuleError } from "../errors.ts";
import type { DomainFiles } from "./domain-files.ts";
import { DEFAULT_FEED_TYPE, tableFileSchema, type DomainFile, type TableFile } from "./config-schemas.ts";
import type { DeclaredDependency, ObjectModel, SourceLocation, TableModel, ViewModel } from "./domain-model.ts";
import { parseSchemaJson } from "./schema-json.ts";
import { parseYamlFile, validateYaml, yamlPosition, type YamlSource } from "./yaml-file.ts";

export interface ObjectFolder {
  /** Relative to the root, `/`-separated. */
  readonly folder: string;
  readonly dataset: string;
  readonly name: string;
  readonly kind: "table" | "view";
  readonly files: ReadonlySet<string>;
}

export interface DomainContext {
  readonly files: DomainFiles;
  readonly domain: DomainFile;
  /** Where domain.yaml sets defaults.feed_type, if it does. */
  readonly defaultFeedTypeFrom?: SourceLocation;
}

const VIEW_ONLY_KEYS = new Set(["description", "labels", "depends_on"]);
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function readTextFile(files: DomainFiles, file: string): string {
  const bytes = files.read(file);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ModuleError({ file, problem: "the file is not valid UTF-8", expected: "a UTF-8 text file" });
  }
}

export function readObject(ctx: DomainContext, f: ObjectFolder, resourceName: string): ObjectModel {
  const sqlFile = `${f.folder}/${f.kind === "table" ? "query.sql" : "view.sql"}`;
  const sql = readTextFile(ctx.files, sqlFile);
  if (sql.trim() === "") throw new ModuleError({ file: sqlFile, problem: "the SQL file is empty", expected: f.kind === "table" ? "the SELECT that feeds the table" : "the SELECT of the view" });

  const configFile = f.files.has("table.yaml") ? `${f.folder}/table.yaml` : undefined;
  const yaml = configFile ? parseYamlFile(configFile, readTextFile(ctx.files, configFile)) : undefined;
  const config: TableFile = yaml ? validateYaml(yaml, tableFileSchema) : {};
  const schemaFile = f.files.has("schema.json") ? `${f.folder}/schema.json` : undefined;
  const schema = schemaFile ? parseSchemaJson(schemaFile, readTextFile(ctx.files, schemaFile)) : undefined;

  const base = {
    id: `${f.dataset}.${f.name}`,
    dataset: f.dataset,
    name: f.name,
    folder: f.folder,
    resourceName,
    sql,
    sqlFile,
    ...(configFile ? { configFile } : {}),
    dependsOn: dependencies(yaml, config),
    ...(config.description ?? schema?.description ? { description: config.description ?? schema?.description } : {}),
    labels: sortedRecord(config.labels ?? {}),
  };

  if (f.kind === "view") {
    for (const key of Object.keys(config)) {
      if (!VIEW_ONLY_KEYS.has(key) && yaml) {
        throw new ModuleError({ file: yaml.file, ...yamlPosition(yaml, [key], true), problem: `"${key}" does not apply to a view`, received: key, expected: "only description, labels and depends_on next to view.sql" });
      }
    }
    const view: ViewModel = { kind: "view", ...base, ...(schema && schemaFile ? { schema, schemaFile } : {}) };
    return view;
  }

  if (!schema || !schemaFile) {
    throw new ModuleError({ file: `${f.folder}/schema.json`, problem: `table ${base.id} has no schema.json`, expected: "the output of `bq show --format=prettyjson project:dataset.table` (or its fields) next to query.sql" });
  }
  const feedType = config.feed_type ?? ctx.domain.defaults?.feed_type ?? DEFAULT_FEED_TYPE;
  const feedTypeFrom: SourceLocation | undefined = yaml && config.feed_type ? { file: yaml.file, ...yamlPosition(yaml, ["feed_type"]) } : ctx.domain.defaults?.feed_type ? ctx.defaultFeedTypeFrom : undefined;
  const keys = config.keys ?? [];
  if (feedType === "MODE_DELTA" && keys.length === 0) {
    const inherited = config.feed_type === undefined && feedTypeFrom ? ` (inherited from ${feedTypeFrom.file}:${feedTypeFrom.line ?? 1} defaults.feed_type)` : "";
    throw new ModuleError({
      file: configFile ?? `${f.folder}/table.yaml`,
      ...(feedTypeFrom?.file === configFile ? { line: feedTypeFrom?.line, column: feedTypeFrom?.column } : {}),
      problem: `feed type MODE_DELTA${inherited} needs keys: the columns the MERGE matches rows on`,
      received: "no keys",
      expected: "keys: [column, …] naming top-level columns of schema.json",
    });
  }
  const columns = new Map(schema.fields.map((c) => [c.name.toLowerCase(), c]));
  keys.forEach((key, k) => {
    const column = columns.get(key.toLowerCase());
    const at = yaml ? { file: yaml.file, ...yamlPosition(yaml, ["keys", k]) } : { file: sqlFile };
    if (!column) {
      const names = schema.fields.map((c) => c.name);
      throw new ModuleError({ ...at, problem: `key "${key}" is not a top-level column of ${schemaFile}`, received: key, expected: `one of ${names.slice(0, 30).join(", ")}${names.length > 30 ? ", …" : ""}` });
    }
    if (column.mode === "REPEATED") throw new ModuleError({ ...at, problem: `key "${key}" is a REPEATED column: a MERGE cannot match on an array`, received: key, expected: "a column that is not REPEATED" });
  });

  const table: TableModel = {
    kind: "table",
    ...base,
    schema,
    schemaFile,
    feedType,
    ...(feedTypeFrom ? { feedTypeFrom } : {}),
    keys,
    ...(config.schedule !== undefined && yaml ? { schedule: config.schedule.trim(), scheduleFrom: { file: yaml.file, ...yamlPosition(yaml, ["schedule"]) } } : {}),
  };
  return table;
}

function dependencies(yaml: YamlSource | undefined, config: TableFile): DeclaredDependency[] {
  return (config.depends_on ?? []).map((entry, k) => {
    const parts = entry.split(".");
    const location = { file: yaml!.file, ...yamlPosition(yaml!, ["depends_on", k]) };
    return parts.length === 3 ? { project: parts[0]!, dataset: parts[1]!, table: parts[2]!, location } : { dataset: parts[0]!, table: parts[1]!, location };
  });
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
