import { TaskFailure } from "./task-definition.ts";

/** For task types whose subsystem has not landed: a clear failure, never a silent success. */
export function notAvailableYet(type: string, subsystem: string): () => Promise<never> {
  return async () => {
    throw new TaskFailure(`not available yet: ${type} runs once ${subsystem} land${subsystem.endsWith("s") ? "" : "s"} in Meshplane; until then a flow using it fails here`);
  };
}
