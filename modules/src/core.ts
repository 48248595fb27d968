/**
 * @meshplane/modules/core: the pure compiler core without CDKTF (no cdktf or constructs
 * import below this file), for the provider, which bundles it for its function
 * provider::meshplane::sql_domain: the same reading, lineage and flows as SqlDomain.
 */
export { compileDomain, type CompiledDomain } from "./compile-domain.ts";
export { memoryFiles, diskFiles, type DomainFiles, type FolderEntry } from "./repo/domain-files.ts";
export { readTextFile } from "./repo/read-object.ts";
export { ModuleError, formatModuleError, type ModuleErrorDetails } from "./errors.ts";
export { meshplaneArguments, tableArguments, type FlowArguments, type MeshplaneArguments, type RequiredGrantArguments, type TableArguments } from "./terraform/meshplane-arguments.ts";
export { FEED_TYPES, type FeedType } from "./repo/config-schemas.ts";
export { TERRAFORM_NAME } from "./terraform/resource-names.ts";
export type { DomainOverrides } from "./repo/read-domain.ts";
