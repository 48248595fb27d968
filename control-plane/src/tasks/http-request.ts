import { z } from "zod";
import { taskBase, TaskFailure, type RunnableDefinition } from "./task-definition.ts";

const schema = z
  .strictObject({
    ...taskBase,
    type: z.literal("http.request"),
    uri: z.url({ protocol: /^https?$/ }),
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().max(1_000_000).optional(),
  })
  .meta({ id: "HttpRequestTask" });

export type HttpRequestTask = z.infer<typeof schema>;

/** The answer's body is kept in the outputs up to this size (outputs live in PostgreSQL). */
export const HTTP_BODY_LIMIT = 256 * 1024;

export const httpRequest: RunnableDefinition<HttpRequestTask> = {
  kind: "runnable",
  type: "http.request",
  schema,
  execute: async ({ task, signal, logger }) => {
    const method = task.method ?? "GET";
    let res: Response;
    try {
      res = await fetch(task.uri, { method, headers: task.headers ?? {}, ...(task.body !== undefined ? { body: task.body } : {}), signal, redirect: "follow" });
    } catch (error) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new TaskFailure(`${method} ${task.uri} was aborted`);
      throw new TaskFailure(`${method} ${task.uri} failed: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`);
    }
    const { text, truncated } = await readLimited(res, HTTP_BODY_LIMIT);
    logger.log("INFO", `${method} ${task.uri} → ${res.status}`);
    if (res.status >= 400) throw new TaskFailure(`${method} ${task.uri} answered ${res.status} ${res.statusText}: ${text.slice(0, 500)}`);
    return { status: res.status, headers: Object.fromEntries(res.headers), body: text, ...(truncated ? { bodyTruncated: true } : {}) };
  },
};

async function readLimited(res: Response, limit: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: "", truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).subarray(0, limit).toString("utf8"), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString("utf8"), truncated: false };
}
