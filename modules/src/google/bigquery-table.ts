/**
 * A hand-written binding for exactly one resource of the Google provider,
 * `google_bigquery_table`, with the attributes the Google target sets. Decision (numbers
 * in modules/README.md): the prebuilt `@cdktf/provider-google` is 309 MB unpacked for the
 * one resource we need, and generating bindings from a schema JSON would commit ~0.8 MB
 * of generated code for that same resource; a typed TerraformResource subclass is ~100
 * lines and adds no dependency. It follows the generator's conventions (camelCase
 * config, snake_case attributes, single blocks as objects), so an app that already uses
 * `@cdktf/provider-google` gets the same JSON.
 *
 * Attribute names are those of hashicorp/google 5.x/6.x (`time_partitioning.type` /
 * `field` / `expiration_ms`, top-level `require_partition_filter`, `range_partitioning.range`,
 * `view.use_legacy_sql`). The provider itself cannot be downloaded here, so these are
 * checked by synth tests, not by `terraform validate`.
 */
import type { Construct } from "constructs";
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from "cdktf";

export interface GoogleBigqueryTimePartitioning {
  /** DAY, HOUR, MONTH or YEAR. */
  readonly type: string;
  /** The DATE/TIMESTAMP/DATETIME column; omitted = ingestion time. */
  readonly field?: string;
  readonly expirationMs?: number;
}

export interface GoogleBigqueryRangePartitioning {
  /** The INTEGER column. */
  readonly field: string;
  readonly range: { readonly start: number; readonly end: number; readonly interval: number };
}

export interface GoogleBigqueryView {
  readonly query: string;
  /** Always false here: BigQuery standard SQL. */
  readonly useLegacySql: boolean;
}

export interface GoogleBigqueryTableConfig extends TerraformMetaArguments {
  /** @default the provider's project */
  readonly project?: string;
  readonly datasetId: string;
  readonly tableId: string;
  readonly description?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** The `fields` array as JSON (the BigQuery API format `bq show` prints). */
  readonly schema?: string;
  readonly timePartitioning?: GoogleBigqueryTimePartitioning;
  readonly rangePartitioning?: GoogleBigqueryRangePartitioning;
  /** Up to four top-level columns. */
  readonly clustering?: readonly string[];
  readonly requirePartitionFilter?: boolean;
  readonly view?: GoogleBigqueryView;
  /** @default the provider's default (true: Terraform refuses to delete the table) */
  readonly deletionProtection?: boolean;
}

export class GoogleBigqueryTable extends TerraformResource {
  static readonly tfResourceType = "google_bigquery_table";
  readonly config: GoogleBigqueryTableConfig;

  constructor(scope: Construct, id: string, config: GoogleBigqueryTableConfig) {
    super(scope, id, {
      terraformResourceType: GoogleBigqueryTable.tfResourceType,
      // providerName makes cdktf's synth validation ask for a `google` provider in the
      // stack, as the prebuilt bindings do: GoogleProvider below or @cdktf/provider-google's.
      terraformGeneratorMetadata: { providerName: "google" },
      ...(config.provider ? { provider: config.provider } : {}),
      ...(config.dependsOn ? { dependsOn: config.dependsOn } : {}),
      ...(config.lifecycle ? { lifecycle: config.lifecycle } : {}),
    });
    this.config = config;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    const tp = c.timePartitioning;
    const rp = c.rangePartitioning;
    return dropUndefined({
      project: c.project,
      dataset_id: c.datasetId,
      table_id: c.tableId,
      description: c.description,
      labels: c.labels && Object.keys(c.labels).length > 0 ? { ...c.labels } : undefined,
      schema: c.schema,
      time_partitioning: tp ? dropUndefined({ type: tp.type, field: tp.field, expiration_ms: tp.expirationMs }) : undefined,
      range_partitioning: rp ? { field: rp.field, range: { start: rp.range.start, end: rp.range.end, interval: rp.range.interval } } : undefined,
      clustering: c.clustering && c.clustering.length > 0 ? [...c.clustering] : undefined,
      require_partition_filter: c.requirePartitionFilter,
      view: c.view ? { query: c.view.query, use_legacy_sql: c.view.useLegacySql } : undefined,
      deletion_protection: c.deletionProtection,
    });
  }
}

export interface GoogleProviderConfig {
  readonly project?: string;
  readonly region?: string;
  readonly alias?: string;
  /** @default ">= 5.0" */
  readonly versionConstraint?: string;
}

/** A minimal `provider "google"` (hashicorp/google): project, region, alias; credentials come from the environment (ADC, GOOGLE_* variables). */
export class GoogleProvider extends TerraformProvider {
  readonly config: GoogleProviderConfig;
  // TerraformProvider's own alias accessors store nothing (every generated provider overrides them).
  private _alias: string | undefined;
  override get alias(): string | undefined {
    return this._alias;
  }
  override set alias(value: string | undefined) {
    this._alias = value;
  }

  constructor(scope: Construct, id: string, config: GoogleProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: "google",
      terraformGeneratorMetadata: { providerName: "google", providerVersionConstraint: config.versionConstraint ?? ">= 5.0" },
      terraformProviderSource: "hashicorp/google",
    });
    this.config = config;
    this._alias = config.alias;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return dropUndefined({ project: this.config.project, region: this.config.region, alias: this.alias });
  }
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
