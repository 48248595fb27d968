/**
 * What a domain repository says, as plain data: the result of readDomain(), the input
 * of the lineage graph, the flow YAML and the constructs. File paths are relative to
 * the domain root, with `/` separators, so the model is the same on every machine.
 */
import type { FeedType } from "./config-schemas.ts";
import type { TableSchema } from "./schema-json.ts";

/** A place in a file, for error messages. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface DomainDefaults {
  /** Cron of tables that have no upstream and no schedule of their own. */
  readonly schedule?: string;
  readonly feedType: FeedType;
  readonly location?: string;
  /** IANA time zone of every schedule trigger (the control plane's default is UTC). */
  readonly timezone?: string;
}

/** A dataset of another domain, from domain.yaml `upstream`. */
export interface UpstreamDataset {
  readonly dataset: string;
  readonly namespace: string;
  readonly location: SourceLocation;
}

/** A `depends_on` entry of table.yaml. */
export interface DeclaredDependency {
  readonly project?: string;
  readonly dataset: string;
  readonly table: string;
  readonly location: SourceLocation;
}

interface ObjectModelBase {
  /** `<dataset>.<name>`: the BigQuery table id and the id of the flow that feeds it. */
  readonly id: string;
  readonly dataset: string;
  readonly name: string;
  /** The folder, relative to the root (`marts/finance/revenue`). */
  readonly folder: string;
  /** A valid, unique Terraform resource name derived from the id (see terraform/resource-names.ts). */
  readonly resourceName: string;
  /** The SQL exactly as in the file (a UTF-8 byte-order mark, if any, removed). */
  readonly sql: string;
  readonly sqlFile: string;
  /** table.yaml, when the folder has one. */
  readonly configFile?: string;
  readonly dependsOn: DeclaredDependency[];
  readonly description?: string;
  readonly labels: Record<string, string>;
}

export interface TableModel extends ObjectModelBase {
  readonly kind: "table";
  readonly schema: TableSchema;
  readonly schemaFile: string;
  readonly feedType: FeedType;
  /** Where the feed type was decided: table.yaml, domain.yaml defaults, or the built-in default (no location). */
  readonly feedTypeFrom?: SourceLocation;
  /** MERGE keys (required by MODE_DELTA; documentation for the contract otherwise). */
  readonly keys: string[];
  /** table.yaml's own schedule (the domain default is applied by the lineage graph). */
  readonly schedule?: string;
  readonly scheduleFrom?: SourceLocation;
}

export interface ViewModel extends ObjectModelBase {
  readonly kind: "view";
  /** Optional: column descriptions for the Google target. */
  readonly schema?: TableSchema;
  readonly schemaFile?: string;
}

export type ObjectModel = TableModel | ViewModel;

export interface DomainModel {
  /** The root as given by the caller (not resolved), for messages. */
  readonly root: string;
  readonly domainFile: string;
  readonly namespace: string;
  readonly team: string;
  readonly project: string;
  readonly description?: string;
  readonly defaults: DomainDefaults;
  /** Sorted by dataset. */
  readonly upstream: UpstreamDataset[];
  /** Sorted by id. */
  readonly tables: TableModel[];
  /** Sorted by id. */
  readonly views: ViewModel[];
}
