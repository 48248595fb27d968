/**
 * The pure core of @meshplane/modules: everything SqlDomain needs, as plain data, with
 * no CDKTF dependency. The constructs (to come) call compileDomain() and turn its
 * result into resources; every problem is a ModuleError naming a file.
 */
import { domainFlows, type DomainFlow } from "./flow/flow-yaml.ts";
import { buildDomainGraph, type DomainGraph } from "./lineage/domain-graph.ts";
import type { DomainModel } from "./repo/domain-model.ts";
import { readDomain, type ReadDomainOptions } from "./repo/read-domain.ts";

export { ModuleError, formatModuleError, type ModuleErrorDetails } from "./errors.ts";
export { readDomain, findObjectFolders, type DomainOverrides, type ReadDomainOptions } from "./repo/read-domain.ts";
export type { DeclaredDependency, DomainDefaults, DomainModel, ObjectModel, SourceLocation, TableModel, UpstreamDataset, ViewModel } from "./repo/domain-model.ts";
export { DEFAULT_FEED_TYPE, FEED_TYPES, type FeedType } from "./repo/config-schemas.ts";
export { parseSchemaJson, type SchemaField, type TableSchema } from "./repo/schema-json.ts";
export { findTableReferences, referenceName, SqlSyntaxError, type SqlTableReferences, type TableReference, type UnqualifiedName } from "./lineage/sql-references.ts";
export { buildDomainGraph, lineageOf, type DomainGraph, type FlowRef, type LineageEdge, type LineageWarning, type ObjectLineage, type RequiredGrant, type ScheduleTrigger } from "./lineage/domain-graph.ts";
export { domainFlows, flowYaml, tableFlow, viewFlow, type DomainFlow, type FlowDocument, type FlowTrigger, type SqlQueryTask } from "./flow/flow-yaml.ts";
export { escapeTerraformTemplate } from "./terraform/escape.ts";
export { assignResourceNames, terraformName, TERRAFORM_NAME, type NamedSource } from "./terraform/resource-names.ts";

export interface CompiledDomain {
  readonly domain: DomainModel;
  readonly graph: DomainGraph;
  /** One per table and view, sorted by id. */
  readonly flows: DomainFlow[];
}

/** Reads the repository at `root`, infers its lineage and builds every flow: what SqlDomain synthesizes from. */
export function compileDomain(root: string, options: ReadDomainOptions = {}): CompiledDomain {
  const domain = readDomain(root, options);
  const graph = buildDomainGraph(domain);
  return { domain, graph, flows: domainFlows(domain, graph) };
}
