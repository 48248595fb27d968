import { ServiceUnavailableError, ValidationError } from "../errors.ts";
import { isTerminal, type ExecutionState } from "../orchestrator/states.ts";
import type { ExecutionRepository } from "../repositories/execution-repository.ts";

/** Where follow events go (the route writes them as server-sent events). */
export interface FollowSink {
  event(id: string, name: "state" | "taskRun" | "log" | "end", data: unknown): void;
  comment(text: string): void;
}

export interface FollowOptions {
  /** Open streams per process; one more is a 503 (each polls the database). */
  readonly maxStreams: number;
  /** A comment this often keeps proxies from closing an idle stream and finds dead clients. */
  readonly heartbeatMs: number;
  /** How often the database is read for new events and logs. */
  readonly pollMs: number;
}

export const DEFAULT_FOLLOW_OPTIONS: FollowOptions = { maxStreams: 100, heartbeatMs: 15_000, pollMs: 250 };

const BATCH = 500;

/**
 * GET /executions/{id}/follow: an execution's state changes, task-run changes and logs
 * as they happen, until it ends. Read from the database by id cursors (both tables'
 * ids only grow), so it works whichever replica runs the execution; the SSE id carries
 * both cursors (`<event id>.<log id>`), which is what `Last-Event-ID` resumes from.
 * Workers write a task's logs before its completion, and the execution's end comes
 * after that, so once the end event has been read every log is visible too.
 */
export class ExecutionFollower {
  private open = 0;
  private readonly closing = new AbortController();

  constructor(
    private readonly executions: ExecutionRepository,
    private readonly options: FollowOptions = DEFAULT_FOLLOW_OPTIONS,
  ) {}

  /** Takes a stream slot, or refuses with 503 when this process has `maxStreams` open. */
  acquire(): () => void {
    if (this.open >= this.options.maxStreams) {
      throw new ServiceUnavailableError(
        `this replica already serves ${this.options.maxStreams} follow streams (MESHPLANE_FOLLOW_MAX_STREAMS); retry later, or poll GET /api/v1/executions/{id} and its /logs`,
        5,
      );
    }
    this.open++;
    let released = false;
    return () => {
      if (!released) this.open--;
      released = true;
    };
  }

  get openStreams(): number {
    return this.open;
  }

  /** On shutdown: every stream ends now (clients reconnect elsewhere with Last-Event-ID) instead of holding the HTTP server open. */
  close(): void {
    this.closing.abort();
  }

  /** Streams until the execution ends (then an `end` event) or `signal` aborts (the client left). */
  async follow(executionId: string, from: FollowCursor, sink: FollowSink, clientLeft: AbortSignal): Promise<void> {
    const signal = AbortSignal.any([clientLeft, this.closing.signal]);
    let { events: eventCursor, logs: logCursor } = from;
    const current = await this.executions.get(executionId);
    if (!current) return;
    let state: ExecutionState = current.state;
    sink.comment(`following execution ${executionId}`);
    const heartbeat = setInterval(() => sink.comment("heartbeat"), this.options.heartbeatMs);
    try {
      while (!signal.aborted) {
        const events = await this.executions.eventsAfter(executionId, eventCursor, BATCH);
        const logs = await this.executions.logs(executionId, { afterId: logCursor, taskRunId: undefined, levels: undefined, take: BATCH });
        // Both in time order; interleaved by time (an event first on a tie).
        let e = 0;
        let l = 0;
        while (e < events.length || l < logs.length) {
          const ev = events[e];
          const log = logs[l];
          if (ev && (!log || ev.at <= log.time)) {
            eventCursor = ev.id;
            e++;
            const id = `${eventCursor}.${logCursor}`;
            if (ev.taskRunId === null) {
              state = ev.to as ExecutionState;
              sink.event(id, "state", { state: ev.to, ...(ev.from ? { from: ev.from } : {}), at: ev.at });
            } else {
              sink.event(id, "taskRun", { taskRunId: ev.taskRunId, taskId: ev.taskId, path: ev.path, attempt: ev.attempt, state: ev.to, ...(ev.from ? { from: ev.from } : {}), at: ev.at });
            }
          } else if (log) {
            logCursor = log.id;
            l++;
            sink.event(`${eventCursor}.${logCursor}`, "log", { time: log.time, level: log.level, ...(log.taskRunId ? { taskRunId: log.taskRunId } : {}), message: log.message });
          }
        }
        if (events.length === BATCH || logs.length === BATCH) continue;
        if (isTerminal(state)) {
          sink.event(`${eventCursor}.${logCursor}`, "end", { state });
          return;
        }
        await pause(this.options.pollMs, signal);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }
}

export interface FollowCursor {
  readonly events: number;
  readonly logs: number;
}

/** `Last-Event-ID: <event id>.<log id>` as this stream sent it; absent: from the start. */
export function parseFollowCursor(value: string | undefined): FollowCursor {
  if (value === undefined || value === "") return { events: 0, logs: 0 };
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(value.trim());
  if (!m) {
    throw new ValidationError(`Last-Event-ID must be the id of an event of this stream (<event id>.<log id>, such as 42.17); got ${JSON.stringify(value)}. Omit it to follow from the start`, [
      { pointer: "/headers/last-event-id", message: "not an id this stream sent" },
    ]);
  }
  return { events: Number(m[1]), logs: Number(m[2]) };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
