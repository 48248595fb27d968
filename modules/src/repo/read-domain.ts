/**
 * Reads a domain repository (SPEC §7) into a DomainModel.
 *
 * Folder convention:
 *   domain.yaml
 *   <dataset>/<table>/query.sql, schema.json, [table.yaml]
 *   <dataset>/<view>/view.sql, [table.yaml], [schema.json]
 *
 * Nested datasets: a folder holding query.sql or view.sql is a table (or view) folder;
 * its parent folder names the dataset; any folders above that only group datasets and
 * mean nothing to BigQuery: `marts/finance_reporting/revenue/query.sql` is the table
 * `finance_reporting.revenue`, exactly like `finance_reporting/revenue/query.sql`.
 * A dataset lives in one folder (the same dataset name under two groups is an error),
 * and table folders hold no other tables.
 *
 * Skipped: folders starting with "." (.git, .github, .terraform), node_modules and
 * cdktf.out, and any folder with no SQL file below it (a CDKTF app's src/, docs/).
 * Everything is visited in code-point order, so the model, and what is synthesized
 * from it, do not depend on the file system's order.
 */
import { ModuleError } from "../errors.ts";
import { diskFiles, type DomainFiles } from "./domain-files.ts";
import { assignResourceNames } from "../terraform/resource-names.ts";
import { DATASET_PATTERN, DEFAULT_FEED_TYPE, domainFileSchema, TABLE_PATTERN, type DomainFile, type FeedType } from "./config-schemas.ts";
import type { DomainModel, SourceLocation, TableModel, UpstreamDataset, ViewModel } from "./domain-model.ts";
import { readObject, readTextFile, type ObjectFolder } from "./read-object.ts";
import { parseYamlFile, validateYaml, yamlPosition, type YamlSource } from "./yaml-file.ts";

export interface DomainOverrides {
  readonly namespace?: string;
  readonly team?: string;
  readonly project?: string;
  readonly description?: string;
  readonly defaults?: { readonly schedule?: string; readonly feedType?: FeedType; readonly location?: string; readonly timezone?: string };
  /** Replaces domain.yaml `upstream` entirely when given. */
  readonly upstream?: Readonly<Record<string, string>>;
}

export interface ReadDomainOptions {
  /** Values that win over domain.yaml (the SqlDomain props). */
  readonly overrides?: DomainOverrides;
}

const DOMAIN_FILE = "domain.yaml";
const PROPS = "SqlDomain props";
const SKIPPED_FOLDERS = new Set(["node_modules", "cdktf.out"]);
const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;

/** `root` is a folder on disk, or the files themselves (memoryFiles: the provider function's input). */
export function readDomain(root: string | DomainFiles, options: ReadDomainOptions = {}): DomainModel {
  const files = typeof root === "string" ? diskFiles(root) : root;
  const yaml = files.exists(DOMAIN_FILE) ? parseYamlFile(DOMAIN_FILE, readTextFile(files, DOMAIN_FILE)) : undefined;
  const fromFile: DomainFile = yaml ? validateYaml(yaml, domainFileSchema) : {};
  const domain = applyOverrides(fromFile, options.overrides ?? {});
  for (const key of ["namespace", "team", "project"] as const) {
    if (domain[key] === undefined) {
      throw new ModuleError({ file: DOMAIN_FILE, ...(yaml ? { line: 1, column: 1 } : {}), problem: yaml ? `missing ${key}` : "no domain.yaml at the root of the domain", expected: `${key} in domain.yaml (or the ${key} prop of SqlDomain)` });
    }
  }
  const upstream = upstreamDatasets(domain, yaml, options.overrides?.upstream !== undefined);
  const defaultFeedTypeFrom: SourceLocation | undefined = yaml && fromFile.defaults?.feed_type && options.overrides?.defaults?.feedType === undefined ? { file: DOMAIN_FILE, ...yamlPosition(yaml, ["defaults", "feed_type"]) } : undefined;

  const folders = findObjectFolders(files);
  checkDatasets(folders, upstream, domain.namespace!);
  const names = assignResourceNames(folders.map((f) => ({ id: `${f.dataset}.${f.name}`, file: `${f.folder}/${f.kind === "table" ? "query.sql" : "view.sql"}` })));
  const ctx = { files, domain, ...(defaultFeedTypeFrom ? { defaultFeedTypeFrom } : {}) };
  const objects = folders.map((f) => readObject(ctx, f, names.get(`${f.dataset}.${f.name}`)!));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  const d = domain.defaults ?? {};
  return {
    root: typeof root === "string" ? root : ".",
    domainFile: DOMAIN_FILE,
    namespace: domain.namespace!,
    team: domain.team!,
    project: domain.project!,
    ...(domain.description !== undefined ? { description: domain.description } : {}),
    defaults: {
      ...(d.schedule !== undefined ? { schedule: d.schedule.trim() } : {}),
      feedType: d.feed_type ?? DEFAULT_FEED_TYPE,
      ...(d.location !== undefined ? { location: d.location } : {}),
      ...(d.timezone !== undefined ? { timezone: d.timezone } : {}),
    },
    upstream,
    tables: objects.filter((o): o is TableModel => o.kind === "table").sort(byId),
    views: objects.filter((o): o is ViewModel => o.kind === "view").sort(byId),
  };
}

/** Props win over domain.yaml; they are validated by the same rules, and their errors name the props. */
function applyOverrides(file: DomainFile, o: DomainOverrides): DomainFile {
  const asFile = {
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    ...(o.team !== undefined ? { team: o.team } : {}),
    ...(o.project !== undefined ? { project: o.project } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(o.upstream !== undefined ? { upstream: { ...o.upstream } } : {}),
    ...(o.defaults !== undefined
      ? {
          defaults: Object.fromEntries(
            Object.entries({ schedule: o.defaults.schedule, feed_type: o.defaults.feedType, location: o.defaults.location, timezone: o.defaults.timezone }).filter(([, v]) => v !== undefined),
          ),
        }
      : {}),
  };
  const result = domainFileSchema.safeParse(asFile);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ModuleError({ file: PROPS, problem: `invalid ${issue.path.join(".")}`, expected: issue.message });
  }
  const p = result.data;
  return { ...file, ...p, ...(file.defaults || p.defaults ? { defaults: { ...file.defaults, ...p.defaults } } : {}) };
}

function upstreamDatasets(domain: DomainFile, yaml: YamlSource | undefined, fromProps: boolean): UpstreamDataset[] {
  return Object.entries(domain.upstream ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([dataset, namespace]) => {
      const location: SourceLocation = fromProps || !yaml ? { file: fromProps ? PROPS : DOMAIN_FILE } : { file: DOMAIN_FILE, ...yamlPosition(yaml, ["upstream", dataset]) };
      if (namespace === domain.namespace) {
        throw new ModuleError({ ...location, problem: `upstream dataset ${dataset} maps to this domain's own namespace ${namespace}`, received: namespace, expected: "the namespace of another domain (tables of this domain need no upstream entry)" });
      }
      return { dataset, namespace, location };
    });
}

/** Every table/view folder under root, in code-point order of their paths. */
export function findObjectFolders(root: string | DomainFiles): ObjectFolder[] {
  const source = typeof root === "string" ? diskFiles(root) : root;
  const found: ObjectFolder[] = [];
  const visit = (parts: string[], insideObject: string | null) => {
    const entries = source.list(parts).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files = new Set(entries.filter((e) => e.isFile).map((e) => e.name));
    const folder = parts.join("/");
    const hasQuery = files.has("query.sql");
    const hasView = files.has("view.sql");
    if (hasQuery || hasView) {
      const sqlFile = `${folder}/${hasQuery ? "query.sql" : "view.sql"}`;
      if (insideObject) throw new ModuleError({ file: sqlFile, problem: `a table folder inside the table folder ${insideObject}`, expected: "<dataset>/<table>/query.sql, with table folders side by side" });
      if (hasQuery && hasView) throw new ModuleError({ file: `${folder}/view.sql`, problem: `${folder} has both query.sql and view.sql`, expected: "query.sql for a table or view.sql for a view, not both", related: [`${folder}/query.sql`] });
      if (parts.length < 2) throw new ModuleError({ file: sqlFile, problem: "a SQL file outside a <dataset>/<table>/ folder", expected: "<dataset>/<table>/query.sql or <dataset>/<view>/view.sql" });
      const dataset = parts[parts.length - 2]!;
      const name = parts[parts.length - 1]!;
      if (!DATASET_PATTERN.test(dataset)) throw new ModuleError({ file: sqlFile, problem: `folder "${dataset}" is not a valid BigQuery dataset id`, received: dataset, expected: "letters, digits and '_'" });
      if (!TABLE_PATTERN.test(name)) throw new ModuleError({ file: sqlFile, problem: `folder "${name}" is not a valid table name`, received: name, expected: "letters, digits, '_' and '-' (it may start with a digit)" });
      if (!FLOW_ID.test(`${dataset}.${name}`)) throw new ModuleError({ file: sqlFile, problem: `"${dataset}.${name}" cannot be a flow id`, received: `${dataset}.${name}`, expected: "an id of at most 100 characters starting with a letter or digit" });
      found.push({ folder, dataset, name, kind: hasQuery ? "table" : "view", files });
    } else if (parts.length > 0 && (files.has("schema.json") || files.has("table.yaml"))) {
      const stray = files.has("schema.json") ? "schema.json" : "table.yaml";
      throw new ModuleError({ file: `${folder}/${stray}`, problem: `${stray} without query.sql or view.sql`, expected: "query.sql (a table) or view.sql (a view) in the same folder" });
    }
    for (const e of entries) {
      if (e.isDirectory && !e.name.startsWith(".") && !SKIPPED_FOLDERS.has(e.name)) visit([...parts, e.name], insideObject ?? (hasQuery || hasView ? folder : null));
    }
  };
  visit([], null);
  return found;
}

function checkDatasets(folders: ObjectFolder[], upstream: UpstreamDataset[], namespace: string): void {
  const datasetFolder = new Map<string, string>();
  for (const f of folders) {
    const parent = f.folder.slice(0, f.folder.lastIndexOf("/"));
    const other = datasetFolder.get(f.dataset);
    if (other !== undefined && other !== parent) {
      throw new ModuleError({ file: `${f.folder}/${f.kind === "table" ? "query.sql" : "view.sql"}`, problem: `dataset ${f.dataset} is in two folders, ${other} and ${parent}`, expected: "each dataset in one folder (grouping folders above datasets are free)", related: [other] });
    }
    datasetFolder.set(f.dataset, parent);
  }
  for (const u of upstream) {
    if (datasetFolder.has(u.dataset)) {
      throw new ModuleError({ ...u.location, problem: `dataset ${u.dataset} is listed under upstream (namespace ${u.namespace}) but is also a folder of this domain (${namespace})`, received: u.dataset, expected: "upstream lists only datasets of other domains", related: [datasetFolder.get(u.dataset)!] });
    }
  }
}
