import { randomUUID } from "node:crypto";
import type { FlowTriggerRepository } from "../repositories/flow-trigger-repository.ts";
import { createExecution, type LockedExecution } from "../repositories/execution-repository.ts";
import { SYSTEM_ACTORS } from "../services/context.ts";
import { checkRunTimeGrant } from "../services/run-time-grants.ts";
import { isTerminal, type ExecutionState } from "./states.ts";
import { checkInputs } from "./inputs.ts";
import { pinnedFlow } from "./executor.ts";

/** A core.subflow run the executor just inserted (RUNNING), with its rendered call. */
export interface SubflowStart {
  readonly runId: string;
  readonly path: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly inputs: Record<string, unknown>;
  readonly wait: boolean;
}

/**
 * Starts the children of core.subflow runs inside the parent's decision (its row locked,
 * one transaction): the child flow's current revision, live and enabled; the run-time
 * subflow grant across teams (SPEC §3 (3), audited `trigger.denied` when refused); its
 * inputs checked against the child's `inputs`. The child records its parent and the
 * waiting task run; with `wait: false` the run ends now, else the child's end ends it
 * (end-handler.ts) — no worker slot is held meanwhile. A child that cannot start fails
 * the run, naming why. Answers the children to advance and whether a run already ended.
 */
export async function startSubflows(repo: FlowTriggerRepository, locked: Pick<LockedExecution, "client" | "execution">, starts: readonly SubflowStart[]): Promise<{ started: string[]; settled: boolean }> {
  const { client, execution } = locked;
  const started: string[] = [];
  let settled = false;
  const fail = async (start: SubflowStart, message: string) => {
    await repo.endSubflowRun(client, start.runId, "FAILED", {}, message);
    await repo.log(client, [{ executionId: execution.id, taskRunId: start.runId, at: new Date().toISOString(), level: "ERROR", message }]);
    settled = true;
  };
  for (const start of starts) {
    const target = `${start.namespace}/${start.flowId}`;
    const flow = await repo.currentFlow(client, start.namespace, start.flowId);
    if (!flow || flow.deleted) {
      await fail(start, `subflow ${target} does not exist${flow?.deleted ? " (it was deleted)" : ""}; register it, or change the task's namespace/flowId`);
      continue;
    }
    if (flow.disabled) {
      await fail(start, `subflow ${target} is disabled (revision ${flow.revision}); a disabled flow cannot run`);
      continue;
    }
    const grant = await checkRunTimeGrant(repo, client, {
      kind: "subflow",
      upstream: { namespace: start.namespace, flowId: start.flowId },
      downstream: { namespace: execution.namespace, id: execution.flowId, executionId: execution.id, taskRunId: start.runId },
    });
    if (!grant.allowed) {
      await fail(start, grant.message);
      continue;
    }
    const doc = pinnedFlow(flow.flowPk, flow.revision, flow.source);
    if (typeof doc === "string") {
      await fail(start, `subflow ${target}: ${doc}`);
      continue;
    }
    const { values, problems } = checkInputs(doc.inputs, start.inputs);
    if (problems.length > 0) {
      await fail(start, `the inputs do not fit subflow ${target} (revision ${flow.revision}): ${problems.map((p) => p.message).join("; ")}`);
      continue;
    }
    const childId = randomUUID();
    const created = await createExecution(client, {
      id: childId,
      namespace: start.namespace,
      flowId: start.flowId,
      revision: flow.revision,
      inputs: values,
      labels: {},
      trigger: { type: "subflow" },
      ...SYSTEM_ACTORS.subflow,
      requestId: undefined,
      parent: { executionId: execution.id, taskRunId: start.runId },
    });
    // Read in this transaction: only a write committed since (a new revision) gets here; the decision is taken again.
    if (created === null) throw new Error(`subflow ${target} changed while its child was being created; deciding again`);
    started.push(childId);
    if (!start.wait) {
      await repo.endSubflowRun(client, start.runId, "SUCCESS", { executionId: childId, state: "CREATED" }, null);
      settled = true;
    }
  }
  return { started, settled };
}

/** What a waiting core.subflow run becomes when its child ends: SUCCESS and WARNING count as success. */
export function subflowResult(child: { id: string; namespace: string; flowId: string; state: ExecutionState; error: string | null }): {
  state: "SUCCESS" | "FAILED";
  outputs: Record<string, unknown>;
  error: string | null;
} {
  if (!isTerminal(child.state)) throw new Error(`execution ${child.id} has not ended`);
  const outputs = { executionId: child.id, state: child.state };
  if (child.state === "SUCCESS" || child.state === "WARNING") return { state: "SUCCESS", outputs, error: null };
  return { state: "FAILED", outputs, error: `subflow execution ${child.id} (${child.namespace}/${child.flowId}) ended ${child.state}${child.error ? `: ${child.error}` : ""}` };
}
