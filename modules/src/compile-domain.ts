/** compileDomain: read + lineage + flows, the one call SqlDomain makes into the pure core. */
import { domainFlows, type DomainFlow } from "./flow/flow-yaml.ts";
import { buildDomainGraph, type DomainGraph } from "./lineage/domain-graph.ts";
import type { DomainFiles } from "./repo/domain-files.ts";
import type { DomainModel } from "./repo/domain-model.ts";
import { readDomain, type ReadDomainOptions } from "./repo/read-domain.ts";

export interface CompiledDomain {
  readonly domain: DomainModel;
  readonly graph: DomainGraph;
  /** One per table and view, sorted by id. */
  readonly flows: DomainFlow[];
}

/**
 * Reads the repository at `root` (a folder, or its files: memoryFiles), infers its lineage
 * and builds every flow: what SqlDomain and the provider function sql_domain build from.
 */
export function compileDomain(root: string | DomainFiles, options: ReadDomainOptions = {}): CompiledDomain {
  const domain = readDomain(root, options);
  const graph = buildDomainGraph(domain);
  return { domain, graph, flows: domainFlows(domain, graph) };
}
