import { expect } from "vitest";
import type { ApiClient } from "./client.ts";

/** The states an execution ends in (SPEC §9). */
export const TERMINAL = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"];

const ended = (e: { state: string }) => TERMINAL.includes(e.state);

/**
 * Polls GET /executions/{id} until `done` holds (by default: it ended) and answers the
 * execution then; fails naming its state and task runs after `ms`.
 */
export async function untilExecution(client: ApiClient, id: string, done: (e: any) => boolean = ended, ms = 45_000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const a = await client.get(`/executions/${id}`);
    expect(a.status).toBe(200);
    if (done(a.body)) return a.body;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${a.body.state} after ${ms} ms: ${JSON.stringify(a.body.taskRuns)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
