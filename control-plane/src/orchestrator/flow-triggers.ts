import { randomUUID } from "node:crypto";
import type pg from "pg";
import { parseFlowSource } from "../flows/flow-parser.ts";
import type { FlowDocument } from "../flows/flow-schema.ts";
import { createExecution, type LogLine } from "../repositories/execution-repository.ts";
import { observeTriggerLatency } from "./metrics.ts";
import type { CountedEnd, EndedExecution, FlowAtRevision, FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import { SYSTEM_ACTORS } from "../services/context.ts";
import { checkRunTimeGrant } from "../services/run-time-grants.ts";
import { checkInputs } from "./inputs.ts";

const inputsByRevision = new Map<string, FlowDocument["inputs"]>();

/**
 * A downstream flow's declared inputs (a flow trigger gives none, so they need defaults):
 * the one thing the handler still reads from the flow's source — its trigger, states,
 * window and upstreams come from the stored edges. Parsed once per (flow pk, revision):
 * a revision never changes.
 */
function flowInputs(flow: FlowAtRevision): FlowDocument["inputs"] {
  const key = `${flow.flowPk}:${flow.revision}`;
  if (!inputsByRevision.has(key)) {
    const parsed = parseFlowSource(flow.source);
    if (inputsByRevision.size >= 2000) inputsByRevision.clear();
    inputsByRevision.set(key, parsed.ok ? parsed.document.inputs : undefined);
  }
  return inputsByRevision.get(key);
}

const same = (a: { namespace: string; flowId: string }, b: { namespace: string; flowId: string }) => a.namespace === b.namespace && a.flowId === b.flowId;

/**
 * An upstream execution ended: every flow trigger listing its flow counts the end (once:
 * record-trigger-event.sql's key), and fires when each of its upstreams has ended in its
 * `states` since it last fired, within `window` of the newest end; then it resets. The
 * grant is checked again each time it would fire; a refusal is audited, logged (WARN) on
 * the upstream executions and shown on them (their `downstream`). Runs in the handler's
 * transaction: what it starts commits with the end's mark that it was handled. Answers
 * the executions it created.
 */
export async function fireFlowTriggers(repo: FlowTriggerRepository, client: pg.PoolClient, ended: EndedExecution): Promise<string[]> {
  const created: string[] = [];
  const triggers = await repo.downstreamTriggers(client, ended.namespace, ended.flowId);
  const end: CountedEnd = { executionId: ended.id, namespace: ended.namespace, flowId: ended.flowId, state: ended.state, endedAt: ended.endedAt };
  for (const trigger of triggers) {
    const { flow } = trigger;
    if (!trigger.states.includes(ended.state)) continue;
    await repo.lockTrigger(client, flow.flowPk, trigger.id);
    if (!(await repo.recordEnd(client, flow, trigger.id, end))) continue;
    const open = await repo.openEnds(client, flow.flowPk, trigger.id, ended.endedAt, trigger.windowMs);
    const upstream = trigger.upstream.map((u) => open.find((e) => same(e, u)));
    if (upstream.some((u) => u === undefined)) continue; // waits for the others
    const counted = upstream as CountedEnd[];
    const warn = (message: string): LogLine[] =>
      counted.map((u) => ({ executionId: u.executionId, taskRunId: null, at: new Date().toISOString(), level: "WARN", message: `flow trigger ${trigger.id} of ${flow.namespace}/${flow.flowId} did not start it: ${message}` }));

    const refusals: string[] = [];
    for (const u of counted) {
      const grant = await checkRunTimeGrant(repo, client, {
        kind: "trigger",
        upstream: { namespace: u.namespace, flowId: u.flowId, executionId: u.executionId },
        downstream: { namespace: flow.namespace, id: flow.flowId, triggerId: trigger.id },
      });
      if (!grant.allowed) refusals.push(grant.message);
    }
    const { values, problems } = checkInputs(flowInputs(flow), {});
    if (refusals.length === 0 && problems.length > 0) {
      refusals.push(`its inputs need values a flow trigger does not give (give them defaults): ${problems.map((p) => p.message).join("; ")}`);
    }
    if (refusals.length > 0) {
      const refused = refusals.join("; ");
      await repo.consume(client, flow.flowPk, trigger.id, { refused });
      await repo.log(client, warn(refused));
      continue;
    }
    const id = randomUUID();
    const made = await createExecution(client, {
      id,
      namespace: flow.namespace,
      flowId: flow.flowId,
      revision: flow.revision,
      inputs: values,
      labels: {},
      trigger: { type: "flow", triggerId: trigger.id, upstream: counted.map((u) => ({ executionId: u.executionId, namespace: u.namespace, flowId: u.flowId, state: u.state })) },
      ...SYSTEM_ACTORS.flowTrigger,
      requestId: undefined,
    });
    // Read in this transaction: only a write committed since (a new revision, disabled, deleted) gets here; handled again.
    if (made === null) throw new Error(`flow ${flow.namespace}/${flow.flowId} changed while its flow trigger fired; handling the end again`);
    await repo.consume(client, flow.flowPk, trigger.id, { executionId: id });
    // Upstream end → downstream created (GET /metrics); a rolled-back handling is counted again when it is redone.
    observeTriggerLatency(Math.max(0, Date.now() - Date.parse(ended.endedAt)) / 1000);
    created.push(id);
  }
  return created;
}
