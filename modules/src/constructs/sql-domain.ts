/**
 * SqlDomain: a domain repository (domain.yaml + <dataset>/<table>/ folders of SQL and
 * `bq show` schemas) → Terraform resources. All the reading, lineage and flow building
 * is the pure core (compileDomain); this construct only maps its result to resources:
 *
 * - target `meshplane` (default): per table a `meshplane_table` (the contract: schema.json
 *   as written, feed type, keys, description) and a `meshplane_flow` (the generated flow
 *   YAML); per view a `meshplane_flow` that creates the view;
 * - target `google`: per table and view a `google_bigquery_table` from the same files;
 * - target `both`: all of the above, except that views are created by Terraform only
 *   (google_bigquery_table with a `view` block) — a view flow as well would give the view
 *   two owners.
 *
 * Resource names are the core's (`sales_ods.orders` → `sales_ods_orders`, collisions are
 * errors naming both files) with an optional prefix, claimed stack-wide (stack-names.ts).
 * A flow depends on its own table and on the resources of the tables and views it reads
 * in this domain, so `terraform apply` registers upstream flows before the flows that
 * trigger on them (the control plane only warns about a missing upstream, but the plan
 * would then depend on ordering luck). Cross-domain triggers need the producer's trigger
 * grant: they are listed in the output `required_grants` and as synth warnings naming
 * the producer namespace. Every string from the repository is escaped for Terraform
 * templates, so SQL reaches the API byte for byte.
 */
import { Annotations, TerraformOutput, type TerraformProvider, type TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { Flow, Table } from "@meshplane/provider/cdktf";
import type { DomainFlow } from "../flow/flow-yaml.ts";
import { compileDomain, type CompiledDomain } from "../compile-domain.ts";
import type { RequiredGrant } from "../lineage/domain-graph.ts";
import { lineageOf } from "../lineage/domain-graph.ts";
import type { FeedType } from "../repo/config-schemas.ts";
import type { ObjectModel, TableModel } from "../repo/domain-model.ts";
import { readTextFile } from "../repo/read-object.ts";
import { diskFiles } from "../repo/domain-files.ts";
import { tableArguments } from "../terraform/meshplane-arguments.ts";
import { escapeTerraformTemplate } from "../terraform/escape.ts";
import { TERRAFORM_NAME } from "../terraform/resource-names.ts";
import { GoogleBigqueryTable } from "../google/bigquery-table.ts";
import { googleTableAttributes } from "../google/table-config.ts";
import { asConstructError } from "./construct-error.ts";
import { claimAddress } from "./stack-names.ts";
import { refuseTokenMarker } from "./token-marker.ts";
import { ModuleError } from "../errors.ts";

/** Which providers the domain's resources are for. */
export type SqlDomainTarget = "meshplane" | "google" | "both";

export interface SqlDomainProps {
  /**
   * The domain repository: the folder holding domain.yaml, relative to the working
   * directory of the synth (or absolute).
   * @default "./"
   */
  readonly path?: string;
  /**
   * The namespace of the domain's flows and table contracts.
   * @default `namespace` of domain.yaml
   */
  readonly namespace?: string;
  /**
   * The team that owns the namespace.
   * @default `team` of domain.yaml
   */
  readonly team?: string;
  /**
   * The GCP project of the domain's datasets (a reference `project.dataset.table` to
   * another project is external).
   * @default `project` of domain.yaml
   */
  readonly project?: string;
  /**
   * BigQuery location of the domain's datasets.
   * @default `defaults.location` of domain.yaml
   */
  readonly location?: string;
  /**
   * Cron of tables with no upstream and no schedule of their own.
   * @default `defaults.schedule` of domain.yaml (none: such a table is an error)
   */
  readonly defaultSchedule?: string;
  /**
   * Feed type of tables whose table.yaml sets none.
   * @default `defaults.feed_type` of domain.yaml, else "WRITE_TRUNCATE"
   */
  readonly defaultFeedType?: FeedType;
  /**
   * IANA time zone of every schedule.
   * @default `defaults.timezone` of domain.yaml, else the control plane's (UTC)
   */
  readonly timezone?: string;
  /**
   * Datasets of other domains → their namespace; replaces domain.yaml `upstream` entirely.
   * @default `upstream` of domain.yaml
   */
  readonly upstream?: Readonly<Record<string, string>>;
  /**
   * `meshplane`: meshplane_table + meshplane_flow; `google`: google_bigquery_table;
   * `both`: all of them (views then only as google_bigquery_table).
   * @default "meshplane"
   */
  readonly target?: SqlDomainTarget;
  /**
   * The Meshplane provider of the resources (e.g. an aliased one).
   * @default the stack's default `meshplane` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * The Google provider of the google_bigquery_table resources.
   * @default the stack's default `google` provider
   */
  readonly googleProvider?: TerraformProvider;
  /**
   * Prepended to every Terraform name and output of this domain, for stacks holding
   * several domains whose names would otherwise meet (`sales_` → `meshplane_flow.sales_ods_orders`).
   * @default "" (names are the table ids, sanitized: `ods.orders` → `ods_orders`)
   */
  readonly resourcePrefix?: string;
}

const CONSTRUCT = "SqlDomain";

export class SqlDomain extends Construct {
  /** What the core read and built: the domain model, its lineage graph, its flows. */
  readonly compiled: CompiledDomain;
  /** meshplane_table per table id. */
  readonly tables = new Map<string, Table>();
  /** meshplane_flow per table or view id. */
  readonly flows = new Map<string, Flow>();
  /** google_bigquery_table per table or view id. */
  readonly googleTables = new Map<string, GoogleBigqueryTable>();
  /** The trigger grants producers must create for this domain's cross-domain triggers. */
  readonly requiredGrants: readonly RequiredGrant[];
  readonly requiredGrantsOutput: TerraformOutput | undefined;
  /** Files read for the token-marker check, kept for the contracts' schema_json (one read per file). */
  private readonly texts = new Map<string, string>();
  private readonly root: string;

  constructor(scope: Construct, id: string, props: SqlDomainProps = {}) {
    super(scope, id);
    const root = props.path ?? "./";
    this.root = root;
    const target = props.target ?? "meshplane";
    const prefix = props.resourcePrefix ?? "";
    this.compiled = asConstructError(this, CONSTRUCT, root, () => {
      checkProps(target, prefix);
      const compiled = compileDomain(root, { overrides: overridesOf(props) });
      for (const o of [...compiled.domain.tables, ...compiled.domain.views]) {
        refuseTokenMarker(o.sqlFile, o.sql);
        for (const file of [o.schemaFile, o.configFile]) if (file !== undefined) refuseTokenMarker(file, this.fileText(file));
      }
      return compiled;
    });
    const { domain, graph, flows } = this.compiled;
    const name = (o: { resourceName: string }) => `${prefix}${o.resourceName}`;
    const claim = (address: string, file: string) => asConstructError(this, CONSTRUCT, undefined, () => claimAddress(this, address, `${this.node.path} (${posixJoin(root, file)})`));
    const meshplane = target !== "google";
    const google = target !== "meshplane";
    const meta = (provider: TerraformProvider | undefined) => (provider ? { provider } : {});

    // Google tables and views first: flows of the `both` target depend on them.
    if (google) {
      const objects = new Map<string, ObjectModel>([...domain.tables, ...domain.views].map((o) => [o.id, o]));
      for (const id of graph.objects.map((o) => o.id)) {
        const o = objects.get(id)!;
        claim(`google_bigquery_table.${name(o)}`, o.sqlFile);
        const table = new GoogleBigqueryTable(this, `google-${id}`, { ...googleTableAttributes(domain.project, o), ...meta(props.googleProvider) });
        table.overrideLogicalId(name(o));
        this.googleTables.set(id, table);
      }
      // A view is checked by BigQuery when created: what it reads must exist first.
      for (const v of domain.views) {
        const dependsOn = lineageOf(graph, v.id).dependsOn.map((d) => addressOf(this.googleTables.get(d)!));
        if (dependsOn.length > 0) this.googleTables.get(v.id)!.dependsOn = dependsOn;
      }
    }

    if (meshplane) {
      for (const t of domain.tables) {
        claim(`meshplane_table.${name(t)}`, t.schemaFile);
        const table = new Table(this, `table-${t.id}`, { ...contractOf(domain.namespace, this.fileText(t.schemaFile), t), ...meta(props.provider) });
        table.overrideLogicalId(name(t));
        this.tables.set(t.id, table);
      }
      // graph.objects is in id order; dependencies may come later in it, so create every flow, then wire depends_on.
      const flowsToCreate = flows.filter((f) => f.kind === "table" || !google);
      for (const f of flowsToCreate) {
        claim(`meshplane_flow.${name(f)}`, f.sqlFile);
        const flow = new Flow(this, `flow-${f.id}`, { namespace: domain.namespace, flowId: f.id, source: escapeTerraformTemplate(f.yaml), ...meta(props.provider) });
        flow.overrideLogicalId(name(f));
        this.flows.set(f.id, flow);
      }
      for (const f of flowsToCreate) this.wireFlow(f);
    }

    this.requiredGrants = meshplane ? graph.requiredGrants : [];
    this.requiredGrantsOutput = meshplane ? this.grantsOutput(prefix, claim) : undefined;
    for (const w of graph.warnings) {
      const where = `${posixJoin(root, w.location.file)}${w.location.line !== undefined ? `:${w.location.line}:${w.location.column ?? 1}` : ""}`;
      Annotations.of(this).addWarning(`${where}: ${w.message}`);
    }
  }

  private fileText(file: string): string {
    let text = this.texts.get(file);
    if (text === undefined) this.texts.set(file, (text = readTextFile(diskFiles(this.root), file)));
    return text;
  }

  /** A flow waits for its own table (contract and BigQuery table) and for what it reads in this domain. */
  private wireFlow(f: DomainFlow): void {
    const flow = this.flows.get(f.id)!;
    const deps: TerraformResource[] = [];
    const own: (TerraformResource | undefined)[] = [this.tables.get(f.id), this.googleTables.get(f.id)];
    for (const r of own) if (r) deps.push(r);
    for (const upstream of lineageOf(this.compiled.graph, f.id).dependsOn) {
      const r = this.flows.get(upstream) ?? this.googleTables.get(upstream);
      if (r) deps.push(r);
    }
    if (deps.length > 0) flow.dependsOn = deps.map(addressOf);
  }

  private grantsOutput(prefix: string, claim: (address: string, file: string) => void): TerraformOutput {
    const { domain } = this.compiled;
    claim(`output.${prefix}required_grants`, domain.domainFile);
    for (const g of this.requiredGrants) {
      const flows = g.neededBy.map((n) => `${n.flowId} ← ${n.upstreamFlowId}`).join(", ");
      Annotations.of(this).addWarning(
        `${domain.namespace} triggers on flows of ${g.upstreamNamespace} (${flows}): a maintainer of ${g.upstreamNamespace} must grant it ` +
          `(meshplane_trigger_grant { upstream_namespace = "${g.upstreamNamespace}", downstream_namespace = "${g.downstreamNamespace}", kinds = ["trigger"] }), ` +
          `or the control plane refuses these flows; see the output ${prefix}required_grants`,
      );
    }
    const output = new TerraformOutput(this, "required-grants", {
      description: `Trigger grants that producer namespaces must create for ${domain.namespace}'s cross-domain triggers`,
      value: this.requiredGrants.map((g) => ({
        upstream_namespace: g.upstreamNamespace,
        downstream_namespace: g.downstreamNamespace,
        kinds: [...g.kinds],
        needed_by: g.neededBy.map((n) => ({ flow_id: n.flowId, upstream_flow_id: n.upstreamFlowId })),
      })),
    });
    output.overrideLogicalId(`${prefix}required_grants`);
    return output;
  }
}

/**
 * `type.name`, the bare address Terraform documents for depends_on. A plain string, not a
 * cdktf token (dependable()): every token captures a full stack trace, which with source
 * maps on made up a sixth of the synthesis of a 1,000-table domain; the names are ours
 * (overrideLogicalId) and in this stack, so there is nothing for a token to resolve.
 */
function addressOf(r: TerraformResource): string {
  return `${r.terraformResourceType}.${r.friendlyUniqueId}`;
}

/** The shared arguments (meshplane-arguments.ts, also what the HCL path creates), escaped for cdk.tf.json. */
function contractOf(namespace: string, schemaText: string, t: TableModel) {
  const a = tableArguments(namespace, schemaText, t);
  return {
    namespace: a.namespace,
    dataset: a.dataset,
    table: a.table,
    // The file as written (the provider compares it by meaning): `bq show` output stays reviewable in the plan.
    schemaJson: escapeTerraformTemplate(a.schema_json),
    feedType: a.feed_type,
    ...(a.keys !== null ? { keys: a.keys } : {}),
    ...(a.description !== null ? { description: escapeTerraformTemplate(a.description) } : {}),
    // The table's labels (table.yaml), as on its flow: platform policies read them on the contract too.
    ...(a.labels !== null ? { labels: Object.fromEntries(Object.entries(a.labels).map(([k, v]) => [k, escapeTerraformTemplate(v)])) } : {}),
  };
}

function overridesOf(p: SqlDomainProps) {
  const defaults = {
    ...(p.defaultSchedule !== undefined ? { schedule: p.defaultSchedule } : {}),
    ...(p.defaultFeedType !== undefined ? { feedType: p.defaultFeedType } : {}),
    ...(p.location !== undefined ? { location: p.location } : {}),
    ...(p.timezone !== undefined ? { timezone: p.timezone } : {}),
  };
  return {
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    ...(p.team !== undefined ? { team: p.team } : {}),
    ...(p.project !== undefined ? { project: p.project } : {}),
    ...(p.upstream !== undefined ? { upstream: p.upstream } : {}),
    ...(Object.keys(defaults).length > 0 ? { defaults } : {}),
  };
}

function checkProps(target: string, prefix: string): void {
  if (!["meshplane", "google", "both"].includes(target)) {
    throw new ModuleError({ file: `${CONSTRUCT} props`, problem: "invalid target", received: JSON.stringify(target), expected: "meshplane, google or both" });
  }
  if (prefix !== "" && !TERRAFORM_NAME.test(prefix)) {
    throw new ModuleError({ file: `${CONSTRUCT} props`, problem: "invalid resourcePrefix", received: JSON.stringify(prefix), expected: "a start of a Terraform name: a letter or '_', then letters, digits, '_' or '-'" });
  }
}

function posixJoin(root: string, file: string): string {
  const r = root.split("\\").join("/").replace(/\/+$/, "");
  return r === "" || r === "." ? file : `${r}/${file}`;
}
