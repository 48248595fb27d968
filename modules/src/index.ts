/**
 * @meshplane/modules: the CDKTF constructs SqlDomain and MeshPlatform, and the pure core
 * they stand on (reading a domain repository, lineage from the SQL, flow YAML, names,
 * escaping), usable without CDKTF. Every problem is a ModuleError naming a file.
 */
export { SqlDomain, type SqlDomainProps, type SqlDomainTarget } from "./constructs/sql-domain.ts";
export { MeshPlatform, type MeshPlatformProps } from "./constructs/mesh-platform.ts";
export { ConstructError } from "./constructs/construct-error.ts";
export { GoogleBigqueryTable, GoogleProvider, type GoogleBigqueryTableConfig, type GoogleProviderConfig, type GoogleBigqueryTimePartitioning, type GoogleBigqueryRangePartitioning, type GoogleBigqueryView } from "./google/bigquery-table.ts";
export { googleTableAttributes, type GoogleTableAttributes } from "./google/table-config.ts";
export { parsePlatformFile, readPlatformFile, ROLES, GRANT_KINDS, type PlatformModel, type PlatformTeam, type PlatformNamespace, type PlatformServiceAccount, type PlatformRoleBinding, type PlatformTriggerGrant } from "./platform/platform-file.ts";
export { compileDomain, type CompiledDomain } from "./compile-domain.ts";
export { ModuleError, formatModuleError, type ModuleErrorDetails } from "./errors.ts";
export { readDomain, findObjectFolders, type DomainOverrides, type ReadDomainOptions } from "./repo/read-domain.ts";
export type { DeclaredDependency, DomainDefaults, DomainModel, ObjectModel, SourceLocation, TableModel, UpstreamDataset, ViewModel } from "./repo/domain-model.ts";
export { DEFAULT_FEED_TYPE, FEED_TYPES, type FeedType } from "./repo/config-schemas.ts";
export { parseSchemaJson, type SchemaField, type TableSchema } from "./repo/schema-json.ts";
// The SQL reader of lineage lives in @meshplane/rules (shared with the control plane); re-exported for existing callers.
export { findTableReferences, referenceName, SqlSyntaxError, type SqlTableReferences, type TableReference, type UnqualifiedName } from "@meshplane/rules";
export { buildDomainGraph, lineageOf, type DomainGraph, type FlowRef, type LineageEdge, type LineageWarning, type ObjectLineage, type RequiredGrant, type ScheduleTrigger } from "./lineage/domain-graph.ts";
export { domainFlows, flowYaml, tableFlow, viewFlow, type DomainFlow, type FlowDocument, type FlowTrigger, type SqlQueryTask } from "./flow/flow-yaml.ts";
export { escapeTerraformTemplate } from "./terraform/escape.ts";
export { assignResourceNames, terraformName, TERRAFORM_NAME, type NamedSource } from "./terraform/resource-names.ts";

export { memoryFiles, diskFiles, type DomainFiles, type FolderEntry } from "./repo/domain-files.ts";
export { meshplaneArguments, tableArguments, type FlowArguments, type MeshplaneArguments, type RequiredGrantArguments, type TableArguments } from "./terraform/meshplane-arguments.ts";
