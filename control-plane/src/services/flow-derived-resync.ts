import { deriveFlowData } from "../flows/flow-derived.ts";
import { parseFlowSource } from "../flows/flow-parser.ts";
import { flowReferences } from "../flows/flow-references.ts";
import type { Logger } from "../logger.ts";
import type { FlowRepository } from "../repositories/flow-repository.ts";

/**
 * At start-up: re-derives every live flow whose derived rows were written by older code
 * (flows.derived_version < DERIVED_VERSION), e.g. schedules and trigger states that a
 * migration cannot compute in SQL. Each flow through resync-derived.sql, which does
 * nothing if the flow moved on meanwhile (its writer derived it). Harmless when several
 * replicas start together: the sync is idempotent.
 */
export async function resyncOutdatedDerived(flows: FlowRepository, logger: Logger): Promise<number> {
  let done = 0;
  const skipped = new Set<string>();
  for (;;) {
    const page = (await flows.derivedOutdated(200 + skipped.size)).filter((f) => !skipped.has(`${f.namespace}/${f.flowId}`));
    if (page.length === 0) break;
    for (const f of page) {
      const parsed = parseFlowSource(f.source);
      if (!parsed.ok) {
        // Kept as it is (its old rows stay); a PUT of a valid source derives it again.
        skipped.add(`${f.namespace}/${f.flowId}`);
        logger.warn({ namespace: f.namespace, flowId: f.flowId, revision: f.revision }, "a stored flow no longer parses; its derived rows are left as they were");
        continue;
      }
      if (!(await flows.resyncDerived(f.namespace, f.flowId, f.revision, deriveFlowData(parsed.document, flowReferences(parsed.document))))) skipped.add(`${f.namespace}/${f.flowId}`);
      else done++;
    }
  }
  if (done > 0) logger.info({ flows: done }, "re-derived the edges, table references and schedules of flows written by an older version");
  return done;
}
