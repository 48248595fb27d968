/**
 * The states of SPEC §9 and the one table of allowed changes. Every state change is an
 * SQL file in src/sql/executions whose header declares the change (`-- transition:`);
 * states.test.ts checks each declared change against this table, and each file's
 * UPDATE only matches rows in the declared `from` states, so a row never moves along
 * a change this table does not allow, even when two replicas race.
 */
export const EXECUTION_STATES = ["CREATED", "QUEUED", "RUNNING", "RETRYING", "KILLING", "SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

/** Task runs use the same names; QUEUED and CANCELLED are execution-only. */
export const TASK_RUN_STATES = ["CREATED", "RUNNING", "RETRYING", "KILLING", "SUCCESS", "WARNING", "FAILED", "KILLED"] as const satisfies readonly ExecutionState[];
export type TaskRunState = (typeof TASK_RUN_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<ExecutionState> = new Set(["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"]);
export const isTerminal = (state: ExecutionState): boolean => TERMINAL_STATES.has(state);

type Table<S extends string> = { readonly [F in S]: readonly S[] };

/**
 * Executions: CREATED → RUNNING (or QUEUED behind a flow's concurrency limit) → an end
 * state. KILLING waits for running task runs to stop (a kill, or the flow's timeout).
 * RETRYING is a restarted execution (FAILED or KILLED before) waiting for its failed task
 * runs to run again; it runs again through RUNNING, or waits QUEUED first while its flow
 * is at its concurrency limit.
 */
export const EXECUTION_TRANSITIONS: Table<ExecutionState> = {
  CREATED: ["QUEUED", "RUNNING", "FAILED", "CANCELLED", "KILLED"],
  QUEUED: ["RUNNING", "CANCELLED", "KILLED"],
  RUNNING: ["SUCCESS", "WARNING", "FAILED", "KILLING", "KILLED"],
  RETRYING: ["QUEUED", "RUNNING", "KILLING", "KILLED"],
  // FAILED: stopped by the flow's `timeout` (killed, but the flow's own failure).
  KILLING: ["KILLED", "FAILED"],
  SUCCESS: [],
  WARNING: [],
  FAILED: ["RETRYING"],
  KILLED: ["RETRYING"],
  CANCELLED: [],
};

/**
 * Task runs: CREATED (claimable) → RUNNING (leased by a worker) → an end state; a
 * retry is a new attempt (a new row) that starts RETRYING and is claimable once its
 * backoff has passed. RUNNING → CREATED is a lease that expired: the worker died and
 * the run is resubmitted. Flowable runs (parallel, foreach) are RUNNING from creation
 * and ended by the executor.
 */
export const TASK_RUN_TRANSITIONS: Table<TaskRunState> = {
  CREATED: ["RUNNING", "KILLED", "FAILED"],
  RETRYING: ["RUNNING", "KILLED"],
  RUNNING: ["SUCCESS", "WARNING", "FAILED", "KILLING", "KILLED", "CREATED"],
  KILLING: ["KILLED", "SUCCESS", "FAILED"],
  SUCCESS: [],
  WARNING: [],
  FAILED: [],
  KILLED: [],
};

export function allowed(kind: "execution" | "taskRun", from: string, to: string): boolean {
  const table: Record<string, readonly string[]> = kind === "execution" ? EXECUTION_TRANSITIONS : TASK_RUN_TRANSITIONS;
  return table[from]?.includes(to) ?? false;
}
